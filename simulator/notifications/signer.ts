// The simulator's SNS signing identity: an RSA key and a self-signed certificate made once per start
// (so no key is ever committed), and signing exactly as SNS does, over SNS's canonical string
// (sns-canonical.ts).
import { createHash, sign } from 'node:crypto';
import { generate } from 'selfsigned';
import { canonicalString, SIGNATURE_ALGORITHMS } from './sns-canonical';
import type { SnsMessage } from './sns-wire';

export type SignatureVersion = SnsMessage['SignatureVersion'];
/** A message before signing: everything but the signature fields. */
export type UnsignedMessage = Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>;

const DAY_MS = 24 * 60 * 60 * 1000;

export class SnsSigner {
  private constructor(
    private readonly privateKey: string,
    /** The certificate, PEM. */
    readonly certPem: string,
    /** File name it is served under, like SNS's `SimpleNotificationService-<hash>.pem`. */
    readonly certName: string,
  ) {}

  static async create(): Promise<SnsSigner> {
    // Valid from a day back, so that `stale` messages (two hours old) still fall inside its validity.
    const notBeforeDate = new Date(Date.now() - DAY_MS);
    const pems = await generate([{ name: 'commonName', value: 'sns.simulator.local' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 366 * DAY_MS),
    });
    const hash = createHash('sha256').update(pems.cert).digest('hex').slice(0, 32);
    return new SnsSigner(pems.private, pems.cert, `SimpleNotificationService-${hash}.pem`);
  }

  /** Signs `canonicalString(message)` with the version's algorithm; the signature is base64. */
  sign(message: UnsignedMessage, version: SignatureVersion, certUrl: string): SnsMessage {
    const unsigned: SnsMessage = {
      ...message,
      SignatureVersion: version,
      Signature: '',
      SigningCertURL: certUrl,
    };
    const signature = sign(
      SIGNATURE_ALGORITHMS[version],
      Buffer.from(canonicalString(unsigned), 'utf8'),
      this.privateKey,
    );
    return { ...unsigned, Signature: signature.toString('base64') };
  }
}

/** The same signature with its first byte flipped: still base64 of the right length, never valid. */
export function forgeSignature(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return bytes.toString('base64');
}
