// The payload codec: round trip, key rotation by key id, tamper detection, clear key errors.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/temporal/encryption-codec';

const key = () => randomBytes(32).toString('base64');
const payload = defaultPayloadConverter.toPayload({ clientName: 'Acme Trust Co.' });

test('round trip, and ciphertext differs each time and hides the data', async () => {
  const codec = new EncryptionCodec(parseEncryptionKeys(`k1:${key()}`));
  const [a] = await codec.encode([payload]);
  const [b] = await codec.encode([payload]);
  expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  expect(Buffer.from(a!.data!).toString('latin1')).not.toContain('Acme');
  const [decoded] = await codec.decode([a!]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ clientName: 'Acme Trust Co.' });
});

test('after rotation, payloads written with the old key still decode', async () => {
  const old = key();
  const before = new EncryptionCodec(parseEncryptionKeys(`2025:${old}`));
  const after = new EncryptionCodec(parseEncryptionKeys(`2026:${key()},2025:${old}`));
  const [written] = await before.encode([payload]);
  const [decoded] = await after.decode([written!]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ clientName: 'Acme Trust Co.' });
  const [rewritten] = await after.encode([payload]);
  expect(Buffer.from(rewritten!.metadata!['encryption-key-id']!).toString()).toBe('2026');
  await expect(before.decode([rewritten!])).rejects.toThrow(/unknown key id "2026"/);
});

test('tampered ciphertext is refused; unencrypted payloads pass through', async () => {
  const codec = new EncryptionCodec(parseEncryptionKeys(`k1:${key()}`));
  const [encrypted] = await codec.encode([payload]);
  const data = Buffer.from(encrypted!.data!);
  data[20] = data[20]! ^ 0xff;
  await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow();
  await expect(codec.decode([payload])).resolves.toEqual([payload]);
});

test('bad key configuration is explained', () => {
  expect(() => parseEncryptionKeys('just-a-key')).toThrow(/PAYLOAD_ENCRYPTION_KEYS must look like/);
  expect(
    () => new EncryptionCodec(parseEncryptionKeys(`short:${randomBytes(16).toString('base64')}`)),
  ).toThrow(/32 bytes/);
});
