// Circle's partner onboarding and accounts APIs over axios: Bearer auth, idempotency keys where
// Circle documents them, zod-checked responses, and one error type (PartnerApiError).
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { z } from 'zod';
import { send, sendWithHeaders, type CallOptions, type ErrorBodyReader } from '../partner-api/request';
import * as s from './schemas';
import type { CreateAccountBody, CreateClientBody, SubmitBody } from './wire';

export interface CircleClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

const readCircleError: ErrorBodyReader = (body) => {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  return {
    code: typeof b.code === 'number' ? b.code : undefined,
    message: typeof b.message === 'string' ? b.message : undefined,
    fieldErrors: Array.isArray(b.errors)
      ? b.errors.map((e: Record<string, unknown>) => ({
          path: String(e.path ?? e.location ?? ''),
          error: String(e.error ?? ''),
          message: String(e.message ?? ''),
        }))
      : undefined,
  };
};

const APPS = '/v1/onboarding/partner/applications';
const enc = encodeURIComponent;

export class CircleClient {
  private readonly http: AxiosInstance;

  constructor(options: CircleClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 15_000,
      headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
    });
  }

  private call<S extends z.ZodType>(
    operation: string,
    config: AxiosRequestConfig,
    schema: S,
    opts?: CallOptions,
  ) {
    return send(this.http, {
      provider: 'circle',
      operation,
      config,
      schema,
      readError: readCircleError,
      signal: opts?.signal,
    });
  }

  async createClient(body: CreateClientBody, idempotencyKey: string, opts?: CallOptions) {
    const res = await this.call(
      'createClient',
      {
        method: 'POST',
        url: '/v1/partner/clients',
        data: body,
        headers: { 'X-Idempotency-Key': idempotencyKey },
      },
      s.createdClientSchema,
      opts,
    );
    return { clientEntityId: res.data.clientEntityId, applicationId: res.data.applicationId };
  }

  /** One page of clients, newest first; `nextPageAfter` comes from the `Link: <...>; rel="next"` header. */
  async listClients(page: { pageSize?: number; pageAfter?: string } = {}, opts?: CallOptions) {
    const { body, headers } = await sendWithHeaders(this.http, {
      provider: 'circle',
      operation: 'listClients',
      config: { method: 'GET', url: '/v1/partner/clients', params: page },
      schema: s.clientListSchema,
      readError: readCircleError,
      signal: opts?.signal,
    });
    return { clients: body.data, nextPageAfter: nextPageAfter(headers.link) };
  }

  /** Finds a client by the pair Circle keeps unique (clientName + country), walking every page. */
  async findClient(clientName: string, country: string, opts?: CallOptions) {
    let pageAfter: string | undefined;
    do {
      const page = await this.listClients({ pageSize: 100, pageAfter }, opts);
      const hit = page.clients.find((c) => c.clientName === clientName && c.country === country);
      if (hit) return hit;
      pageAfter = page.nextPageAfter;
    } while (pageAfter);
    return undefined;
  }

  getApplication(applicationId: string, opts?: CallOptions) {
    return this.call(
      'getApplication',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}` },
      s.applicationResponseSchema,
      opts,
    );
  }

  async listApplications(
    query: { status?: string; limit?: number; startingAfter?: string } = {},
    opts?: CallOptions,
  ) {
    const params = { status: query.status, limit: query.limit, starting_after: query.startingAfter };
    return this.call('listApplications', { method: 'GET', url: APPS, params }, s.applicationListSchema, opts);
  }

  /** The application of a client, found by walking the application list (Circle has no direct link). */
  async findApplicationOfClient(clientEntityId: string, opts?: CallOptions) {
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.listApplications({ limit: 100, startingAfter }, opts);
      const hit = page.applications.find((a) => a.clientEntityId === clientEntityId);
      if (hit) return hit;
      if (!page.hasMore || !page.nextCursor) return undefined;
      startingAfter = page.nextCursor;
    }
  }

  /** `DELETE .../sections/{sectionName}/{refId}`: removes one entity of an array section. */
  deleteEntity(applicationId: string, sectionName: string, refId: string, opts?: CallOptions) {
    return this.call(
      'deleteEntity',
      { method: 'DELETE', url: `${APPS}/${enc(applicationId)}/sections/${enc(sectionName)}/${enc(refId)}` },
      z.unknown(),
      opts,
    );
  }

  cancelApplication(applicationId: string, opts?: CallOptions) {
    return this.call(
      'cancelApplication',
      { method: 'DELETE', url: `${APPS}/${enc(applicationId)}` },
      s.applicationResponseSchema,
      opts,
    );
  }

  getSchema(applicationId: string, resolved = false, opts?: CallOptions) {
    return this.call(
      'getSchema',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}/schema`, params: { resolved } },
      s.schemaResponseSchema,
      opts,
    );
  }

  listSections(applicationId: string, opts?: CallOptions) {
    return this.call(
      'listSections',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}/sections` },
      s.sectionListSchema,
      opts,
    );
  }

  saveSection(applicationId: string, sectionName: string, payload: unknown, opts?: CallOptions) {
    return this.call(
      'saveSection',
      { method: 'PUT', url: `${APPS}/${enc(applicationId)}/sections/${enc(sectionName)}`, data: payload },
      s.saveResponseSchema,
      opts,
    );
  }

  /** All visible section data keyed by section name (round-trips into `saveSections`). */
  async getData(applicationId: string, opts?: CallOptions) {
    const res = await this.call(
      'getData',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}/data` },
      s.dataResponseSchema,
      opts,
    );
    return res.data;
  }

  /** Bulk save: Circle validates every section before saving any (all-or-nothing). */
  saveSections(applicationId: string, sections: Record<string, unknown>, opts?: CallOptions) {
    return this.call(
      'saveSections',
      { method: 'PATCH', url: `${APPS}/${enc(applicationId)}/data`, data: sections },
      s.saveResponseSchema,
      opts,
    );
  }

  submit(applicationId: string, body: SubmitBody, idempotencyKey: string, opts?: CallOptions) {
    return this.call(
      'submit',
      {
        method: 'POST',
        url: `${APPS}/${enc(applicationId)}/submit`,
        data: body,
        headers: { 'X-Idempotency-Key': idempotencyKey },
      },
      s.submitResponseSchema,
      opts,
    );
  }

  listRfis(applicationId: string, opts?: CallOptions) {
    return this.call(
      'listRfis',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}/rfis` },
      s.rfiListSchema,
      opts,
    );
  }

  getRfi(applicationId: string, rfiId: string, opts?: CallOptions) {
    return this.call(
      'getRfi',
      { method: 'GET', url: `${APPS}/${enc(applicationId)}/rfis/${enc(rfiId)}` },
      s.rfiResponseSchema,
      opts,
    );
  }

  answerRfi(applicationId: string, rfiId: string, payload: Record<string, unknown>, opts?: CallOptions) {
    return this.call(
      'answerRfi',
      { method: 'PATCH', url: `${APPS}/${enc(applicationId)}/rfis/${enc(rfiId)}`, data: payload },
      s.rfiAnswerResponseSchema,
      opts,
    );
  }

  async createAccount(body: CreateAccountBody, opts?: CallOptions) {
    const res = await this.call(
      'createAccount',
      { method: 'POST', url: '/v1/accounts', data: body },
      s.accountResponseSchema,
      opts,
    );
    return res.data;
  }

  async getAccount(accountId: string, opts?: CallOptions) {
    const res = await this.call(
      'getAccount',
      { method: 'GET', url: `/v1/accounts/${enc(accountId)}` },
      s.accountResponseSchema,
      opts,
    );
    return res.data;
  }

  async listAccounts(
    filter: { clientEntityId?: string; type?: string; purpose?: string } = {},
    opts?: CallOptions,
  ) {
    const res = await this.call(
      'listAccounts',
      { method: 'GET', url: '/v1/accounts', params: filter },
      s.accountListSchema,
      opts,
    );
    return res.data;
  }
}

function nextPageAfter(link: unknown): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m?.[1]) return new URL(m[1], 'http://placeholder').searchParams.get('pageAfter') ?? undefined;
  }
  return undefined;
}
