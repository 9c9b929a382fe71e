// A stand-in for SNS in tests: a self-signed RSA certificate served from a loopback HTTP server (which
// records every request, so tests can tell whether anything was fetched), and messages signed with it.
import { randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import {
  SANDBOX_TOPIC_ARN,
  SIGNATURE_ALGORITHMS,
  stringToSign,
  type OnboardingNotification,
  type SnsMessage,
} from '../../src/notifications/sns';

export interface SnsFixture {
  origin: string;
  certUrl: string;
  privateKey: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Extra routes: path -> handler. */
  routes: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  close(): Promise<void>;
}

export async function startSnsFixture(): Promise<SnsFixture> {
  // selfsigned v5: generate() returns a promise.
  const pems = await generate([{ name: 'commonName', value: 'sns.test' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const requests: string[] = [];
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  routes.set('/cert.pem', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pems.cert),
  );
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    certUrl: `${origin}/cert.pem`,
    privateKey: pems.private,
    requests,
    routes,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

export function onboardingPayload(overrides: Partial<OnboardingNotification> = {}): OnboardingNotification {
  return {
    clientId: randomUUID(),
    notificationType: 'onboarding_application_approved',
    version: 1,
    applicationId: randomUUID(),
    status: 'APPROVED',
    previousStatus: 'IN_REVIEW',
    ...overrides,
  };
}

/** A Notification (by default) signed with `privateKey`; fields given replace the defaults before signing. */
export function signedMessage(
  fixture: Pick<SnsFixture, 'certUrl' | 'privateKey'>,
  fields: Partial<SnsMessage> = {},
): SnsMessage {
  const message: SnsMessage = {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: SANDBOX_TOPIC_ARN,
    Message: JSON.stringify(onboardingPayload()),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature: '',
    SigningCertURL: fixture.certUrl,
    ...(fields.Type === undefined || fields.Type === 'Notification'
      ? { UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe' }
      : {}),
    ...fields,
  };
  return { ...message, Signature: signatureOf(message, fixture.privateKey) };
}

export function signatureOf(message: SnsMessage, privateKey: string): string {
  return sign(
    SIGNATURE_ALGORITHMS[message.SignatureVersion],
    Buffer.from(stringToSign(message)),
    privateKey,
  ).toString('base64');
}
