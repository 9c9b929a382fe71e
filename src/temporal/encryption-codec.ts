// Encrypts every payload (workflow input, results, activity arguments: business and personal data)
// with AES-256-GCM before it leaves the worker or client, so the Temporal server stores ciphertext.
// The key id travels in the payload metadata, so keys can be rotated: decode accepts any known key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKeys {
  /** Id of the key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key that may have encrypted stored payloads, by id; 32 bytes each. */
  keys: Record<string, Buffer>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly config: EncryptionKeys) {
    for (const [id, key] of Object.entries(config.keys)) {
      if (key.length !== 32)
        throw new Error(`encryption key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    }
    if (!config.keys[config.currentKeyId])
      throw new Error(`no encryption key with id "${config.currentKeyId}"`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.config.currentKeyId;
    const key = this.config.keys[keyId]!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCODING), [KEY_ID]: encoder.encode(keyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (decoder.decode(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return payload;
      const keyId = decoder.decode(payload.metadata?.[KEY_ID]);
      const key = this.config.keys[keyId];
      if (!key) throw new Error(`payload was encrypted with unknown key id "${keyId}"`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** `PAYLOAD_ENCRYPTION_KEYS` = `id:base64key[,id:base64key...]`; the first is used to encrypt. */
export function parseEncryptionKeys(value: string): EncryptionKeys {
  const entries = value.split(',').map((part) => {
    const [id, b64] = part.trim().split(':');
    if (!id || !b64)
      throw new Error(
        'PAYLOAD_ENCRYPTION_KEYS must look like "key-2026:<base64 of 32 bytes>[,older-id:<base64>]"',
      );
    return [id, Buffer.from(b64, 'base64')] as const;
  });
  return { currentKeyId: entries[0]![0], keys: Object.fromEntries(entries) };
}
