// A tiny SNS HTTP(S) endpoint for the notification tests: records every request, verifies each
// message's signature on its own (node:crypto, the certificate fetched from SigningCertURL, over SNS's
// canonical string, which sns-canonical.test.ts pins to AWS's documented format), and can confirm
// subscriptions, answer errors or hold its answer. The product's own verifier checks the same
// signatures in test/notifications/simulator-signatures.test.ts.
import { verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { canonicalString, SIGNATURE_ALGORITHMS } from '../notifications/sns-canonical';
import type { OnboardingNotification, SnsMessage } from '../notifications/sns-wire';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  message?: SnsMessage;
  /** The signature checked against the certificate at SigningCertURL. */
  signatureValid?: boolean;
}

export class SnsReceiver {
  readonly requests: Received[] = [];
  /** Statuses for the next POSTs, in order; 200 once empty. */
  postStatuses: number[] = [];
  headStatus = 200;
  /** Fetch the SubscribeURL of each valid SubscriptionConfirmation. */
  autoConfirm = true;
  /** Hold each POST's answer this long. */
  holdMs = 0;
  url = '';
  private server?: Server;
  private readonly certs = new Map<string, Promise<string>>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(
          req.method ?? '',
          req.url ?? '',
          req.headers,
          Buffer.concat(chunks).toString('utf8'),
        ).then(
          (status) => res.writeHead(status).end(),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sns`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  posts(type?: SnsMessage['Type']): Received[] {
    return this.requests.filter((r) => r.method === 'POST' && (!type || r.message?.Type === type));
  }

  notifications(): (Received & { message: SnsMessage; payload: OnboardingNotification })[] {
    return this.posts('Notification').map((r) => ({
      ...r,
      message: r.message!,
      payload: JSON.parse(r.message!.Message) as OnboardingNotification,
    }));
  }

  /** Independent check of an SNS signature. */
  async verify(message: SnsMessage): Promise<boolean> {
    const cert = await this.cert(message.SigningCertURL);
    const algorithm = SIGNATURE_ALGORITHMS[message.SignatureVersion];
    return verify(
      algorithm,
      Buffer.from(canonicalString(message), 'utf8'),
      cert,
      Buffer.from(message.Signature, 'base64'),
    );
  }

  private async handle(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    body: string,
  ): Promise<number> {
    const received: Received = { method, url, headers, body, at: Date.now() };
    if (method === 'HEAD') {
      this.requests.push(received);
      return this.headStatus;
    }
    received.message = JSON.parse(body) as SnsMessage;
    received.signatureValid = await this.verify(received.message);
    // Recorded once checked, so a test that sees a message also sees its verdict.
    this.requests.push(received);
    const status = this.postStatuses.shift() ?? 200;
    if (this.holdMs) await new Promise((r) => setTimeout(r, this.holdMs));
    const m = received.message;
    if (
      status === 200 &&
      this.autoConfirm &&
      m.Type === 'SubscriptionConfirmation' &&
      received.signatureValid
    ) {
      await axios.get(m.SubscribeURL!);
    }
    return status;
  }

  private cert(url: string): Promise<string> {
    let cert = this.certs.get(url);
    if (!cert) {
      cert = axios.get<string>(url, { responseType: 'text' }).then((r) => r.data);
      this.certs.set(url, cert);
    }
    return cert;
  }
}
