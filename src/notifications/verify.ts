// Proves a POSTed body is an SNS message from Circle's topic: shape, signature version, topic, age,
// certificate URL, then the RSA signature over SNS's canonical string. Cheap checks come first, so a
// message from another topic or with a foreign certificate URL never makes this service fetch anything.
// One topic is accepted (the environment's), and its certificates only from `sns.<its region>.amazonaws.com`.
//
// Why not `sns-validator` (what Circle's sample server uses): it is unmaintained, callback-based, and
// hard-codes the certificate host pattern, so it cannot trust the local simulator's certificate origin;
// and it neither pins the topic nor checks the Timestamp. The checks are few and SNS documents them, so
// they are written here on node:crypto against the shared wire types in sns.ts.
import { verify as verifySignature } from 'node:crypto';
import { createCertificateSource, type CertificateSource, type CertificateSourceOptions } from './cert';
import { NotificationRejected } from './rejection';
import { isPlainObject } from '../shared/plain-object';
import type { HostResolver } from '../net/address-guard';
import {
  parseTopicArn,
  SIGNATURE_ALGORITHMS,
  snsHostOf,
  stringToSign,
  type SnsMessage,
  type SnsMessageType,
} from './sns';

export { NotificationRejected, VerificationUnavailable, type RejectionReason } from './rejection';

declare const verifiedBrand: unique symbol;
/** An SNS message whose signature, topic and age were checked: only `verify` makes one. */
export type VerifiedSnsMessage = Readonly<SnsMessage> & { readonly [verifiedBrand]: true };

export interface SnsVerifierOptions {
  /**
   * The one topic accepted, exactly (CIRCLE_NOTIFICATIONS_TOPIC_ARN; locally SANDBOX_TOPIC_ARN). Its region
   * is the only one whose SNS host may serve the signing certificate.
   */
  topicArn: string;
  /** Oldest `Timestamp` accepted. Default one hour. */
  maxAgeMs?: number;
  /** How far ahead of this clock a `Timestamp` may be (clock skew). Default five minutes. */
  maxClockSkewMs?: number;
  /**
   * Origins (e.g. `http://127.0.0.1:4010`) whose `.pem` certificates are trusted besides SNS's: only for
   * the local simulator. The caller decides when that is allowed; never set it in production.
   */
  trustedCertOrigins?: readonly string[];
  /** Certificate fetch timeout. Default 5 s. */
  certTimeoutMs?: number;
  /** Certificate fetch details (size cap, caches, fetch budget, axios instance). */
  certificates?: Omit<CertificateSourceOptions, 'timeoutMs' | 'loopbackOrigins' | 'resolve' | 'now'>;
  /** Replaces DNS for certificate hosts (tests). */
  resolve?: HostResolver;
  now?: () => number;
}

export interface SnsVerifier {
  /** The topic accepted (for the subscription confirmer, which holds SubscribeURL to its region). */
  readonly topicArn: string;
  /** Resolves with the message, or throws NotificationRejected (or VerificationUnavailable). */
  verify(body: unknown): Promise<VerifiedSnsMessage>;
}

export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const { topicArn, maxAgeMs = 60 * 60 * 1000, maxClockSkewMs = 5 * 60 * 1000, now = Date.now } = options;
  const topic = parseTopicArn(topicArn);
  if (!topic) {
    throw new RangeError(`topicArn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
  }
  const certHost = snsHostOf(topic);
  const trustedOrigins = new Set((options.trustedCertOrigins ?? []).map((o) => new URL(o).origin));
  const certificate: CertificateSource = createCertificateSource({
    ...options.certificates,
    timeoutMs: options.certTimeoutMs,
    loopbackOrigins: [...trustedOrigins],
    resolve: options.resolve,
    now,
  });

  return {
    topicArn,
    async verify(body) {
      const message = parseSnsMessage(body);
      // Topic before anything is fetched: messages from any other topic are someone else's.
      if (message.TopicArn !== topicArn) {
        throw new NotificationRejected('other_topic', 'the message is not from the accepted topic');
      }
      checkAge(Date.parse(message.Timestamp), now(), maxAgeMs, maxClockSkewMs);
      const certUrl = checkCertUrl(message.SigningCertURL, certHost, trustedOrigins);
      const cert = await certificate(certUrl);
      const at = now();
      if (at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo)) {
        throw new NotificationRejected('bad_cert_url', 'the signing certificate is expired or not yet valid');
      }
      let valid = false;
      try {
        valid = verifySignature(
          SIGNATURE_ALGORITHMS[message.SignatureVersion],
          Buffer.from(stringToSign(message)),
          cert.publicKey,
          Buffer.from(message.Signature, 'base64'),
        );
      } catch {
        valid = false;
      }
      if (!valid) throw new NotificationRejected('bad_signature', 'the signature does not match the message');
      return message as VerifiedSnsMessage;
    },
  };
}

function checkAge(timestamp: number, at: number, maxAgeMs: number, maxClockSkewMs: number): void {
  if (at - timestamp > maxAgeMs) {
    throw new NotificationRejected('stale', `the message is older than ${maxAgeMs} ms`);
  }
  if (timestamp - at > maxClockSkewMs) {
    throw new NotificationRejected('stale', 'the message is timestamped in the future');
  }
}

/** The URL to fetch, if it is SNS's (https, the topic region's SNS host, a .pem path) or on a trusted origin. */
function checkCertUrl(value: string, certHost: string, trustedOrigins: ReadonlySet<string>): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new NotificationRejected('bad_cert_url', 'SigningCertURL is not a URL');
  }
  if (!url.pathname.endsWith('.pem')) {
    throw new NotificationRejected('bad_cert_url', 'SigningCertURL does not name a .pem file');
  }
  if (url.username || url.password) {
    throw new NotificationRejected('bad_cert_url', 'SigningCertURL carries credentials');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new NotificationRejected('bad_cert_url', 'SigningCertURL carries a query or a fragment');
  }
  if (trustedOrigins.has(url.origin)) return url.href;
  if (url.protocol !== 'https:' || url.port !== '' || url.hostname !== certHost) {
    throw new NotificationRejected(
      'bad_cert_url',
      `SigningCertURL is not an https URL on ${certHost} (the topic's region)`,
    );
  }
  return url.href;
}

const SIGNED_STRING_FIELDS = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL'];
const FIELDS_BY_TYPE: Record<SnsMessageType, { required: string[]; optional: string[] }> = {
  Notification: { required: SIGNED_STRING_FIELDS, optional: ['Subject', 'UnsubscribeURL'] },
  SubscriptionConfirmation: { required: [...SIGNED_STRING_FIELDS, 'Token', 'SubscribeURL'], optional: [] },
  UnsubscribeConfirmation: { required: [...SIGNED_STRING_FIELDS, 'Token', 'SubscribeURL'], optional: [] },
};
// SNS's own format: "2012-04-25T21:49:25.719Z"; an offset instead of Z is tolerated.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The body as an SnsMessage with exactly the fields its type defines (unknown fields dropped). */
export function parseSnsMessage(body: unknown): SnsMessage {
  if (!isPlainObject(body)) throw new NotificationRejected('malformed', 'the body is not a JSON object');
  const record = body;
  const type = record.Type;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS_BY_TYPE, type)) {
    throw new NotificationRejected(
      'malformed',
      `Type must be one of ${Object.keys(FIELDS_BY_TYPE).join(', ')}`,
    );
  }
  const { required, optional } = FIELDS_BY_TYPE[type as SnsMessageType];
  const message: Record<string, string> = { Type: type };
  for (const field of required) {
    const value = record[field];
    if (typeof value !== 'string' || value === '') {
      throw new NotificationRejected('malformed', `${field} must be a non-empty string`);
    }
    message[field] = value;
  }
  for (const field of optional) {
    const value = record[field];
    // SNS leaves out a missing Subject; a null one is treated the same (it is not signed as "null").
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new NotificationRejected('malformed', `${field} must be a string`);
    message[field] = value;
  }
  const version = record.SignatureVersion;
  if (typeof version !== 'string') {
    throw new NotificationRejected('malformed', 'SignatureVersion must be a string');
  }
  if (version !== '1' && version !== '2') {
    throw new NotificationRejected(
      'unsupported_signature_version',
      `SignatureVersion must be 1 or 2 (SHA1withRSA or SHA256withRSA)`,
    );
  }
  message.SignatureVersion = version;
  if (!TIMESTAMP.test(message.Timestamp!) || Number.isNaN(Date.parse(message.Timestamp!))) {
    throw new NotificationRejected('malformed', 'Timestamp must be an ISO 8601 date-time');
  }
  if (!BASE64.test(message.Signature!)) {
    throw new NotificationRejected('malformed', 'Signature must be base64');
  }
  return message as unknown as SnsMessage;
}
