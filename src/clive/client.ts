// Clive's partner API: `x-api-key`, an HMAC-SHA256 of the exact body bytes in `x-clive-hmac`, and an
// `idempotency-key` on writes. We serialise the body once and sign and send those same bytes.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { PaceOptions } from '../partner-api/pacer';
import {
  bodyRecord,
  partnerHttp,
  send,
  type CallOptions,
  type ErrorBodyReader,
  type PartnerHttp,
} from '../partner-api/request';
import type { CreateCliveClientBody } from './wire';

export interface CliveClientOptions {
  baseUrl: string; // e.g. https://pay.example.com/api/v1
  apiKey: string;
  hmacSecret: string;
  timeoutMs?: number;
  /** This worker's own request rate towards the provider (partner-api/pacer.ts). */
  pace?: PaceOptions;
}

const cliveClientSchema = z.looseObject({
  id: z.string().min(1),
  partner_id: z.string().optional(),
  client_id: z.string(),
  status: z.string().optional(),
  idempotentReplay: z.boolean().optional(),
});

const readCliveError: ErrorBodyReader = (body) => {
  const { code, error } = bodyRecord(body);
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof error === 'string' ? error : undefined,
  };
};

export function signBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

export class CliveClient {
  private readonly http: PartnerHttp;

  constructor(private readonly options: CliveClientOptions) {
    this.http = partnerHttp(
      {
        baseURL: options.baseUrl,
        timeout: options.timeoutMs ?? 15_000,
        headers: { 'x-api-key': options.apiKey },
        // Send our own string untouched: the signature covers these exact bytes.
        transformRequest: [(data: unknown) => data],
      },
      options.pace,
    );
  }

  createClient(body: CreateCliveClientBody, idempotencyKey: string, opts?: CallOptions) {
    const raw = JSON.stringify(body);
    return send(this.http, {
      provider: 'clive',
      operation: 'createClient',
      config: {
        method: 'POST',
        url: '/clients',
        data: raw,
        headers: {
          'Content-Type': 'application/json',
          'x-clive-hmac': signBody(raw, this.options.hmacSecret),
          'idempotency-key': idempotencyKey,
        },
      },
      schema: cliveClientSchema,
      readError: readCliveError,
      signal: opts?.signal,
    });
  }

  async listClients(opts?: CallOptions) {
    const res = await send(this.http, {
      provider: 'clive',
      operation: 'listClients',
      config: { method: 'GET', url: '/clients' },
      schema: z.looseObject({ items: z.array(cliveClientSchema) }),
      readError: readCliveError,
      signal: opts?.signal,
    });
    return res.items;
  }
}
