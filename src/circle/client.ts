// Circle's partner onboarding and accounts APIs over axios: Bearer auth, idempotency keys where
// Circle documents them, zod-checked responses, and one error type (PartnerApiError).
import type { AxiosRequestConfig } from 'axios';
import { z } from 'zod';
import {
  bodyRecord,
  partnerHttp,
  send,
  sendWithHeaders,
  type CallOptions,
  type ErrorBodyReader,
  type PartnerHttp,
} from '../partner-api/request';
import type { PaceOptions } from '../partner-api/pacer';
import * as s from './schemas';
import type {
  CreateAccountBody,
  CreateClientBody,
  DocumentListItem,
  FieldError,
  SubmitBody,
  UploadDocumentParts,
} from './wire';

export interface CircleClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  /** This worker's own request rate towards the provider (partner-api/pacer.ts). */
  pace?: PaceOptions;
}

const readCircleError: ErrorBodyReader = (body) => {
  const b = bodyRecord(fromBytes(body));
  return {
    code: typeof b.code === 'number' ? b.code : undefined,
    message: typeof b.message === 'string' ? b.message : undefined,
    fieldErrors: Array.isArray(b.errors)
      ? b.errors.map((e: unknown) => toFieldError(bodyRecord(e)))
      : undefined,
  };
};

/**
 * Section saves name the property (`path`, or Circle's usual `location`) and an `error` code; refused
 * document uploads name the multipart part (`field`) and a `code`. Both become one FieldError shape.
 */
function toFieldError(e: Record<string, unknown>): FieldError {
  if (e.path === undefined && e.location === undefined && typeof e.field === 'string') {
    const code = String(e.code ?? '');
    return {
      path: e.field,
      error: code,
      message: typeof e.message === 'string' ? e.message : `${e.field}: ${code}`,
    };
  }
  return {
    path: String(e.path ?? e.location ?? ''),
    error: String(e.error ?? ''),
    message: String(e.message ?? ''),
  };
}

/** A download's error body arrives as bytes (the request asked for an arraybuffer): read it as JSON. */
function fromBytes(body: unknown): unknown {
  if (!(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) return body;
  const bytes =
    body instanceof ArrayBuffer
      ? Buffer.from(body)
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

const CLIENTS = '/v1/partner/clients';
const APPS = '/v1/onboarding/partner/applications';
const ACCOUNTS = '/v1/accounts';
const enc = encodeURIComponent;
/** `.../applications/{id}/a/b`, each part URL-encoded. */
const app = (applicationId: string, ...path: string[]) =>
  [APPS, applicationId, ...path].map((p, i) => (i ? enc(p) : p)).join('/');

export class CircleClient {
  private readonly http: PartnerHttp;

  constructor(options: CircleClientOptions) {
    this.http = partnerHttp(
      {
        baseURL: options.baseUrl,
        timeout: options.timeoutMs ?? 15_000,
        headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
      },
      options.pace,
    );
  }

  /** One request; `extra` adds a body, query parameters, an idempotency key, headers or a binary answer. */
  private call<S extends z.ZodType>(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    schema: S,
    opts: CallOptions = {},
    extra: {
      data?: unknown;
      params?: object;
      idempotencyKey?: string;
      headers?: Record<string, string>;
      responseType?: 'arraybuffer';
    } = {},
  ) {
    const key = extra.idempotencyKey ? { 'X-Idempotency-Key': extra.idempotencyKey } : {};
    const headers = { ...extra.headers, ...key };
    const { data, params, responseType } = extra;
    const config: AxiosRequestConfig = { method, url, data, params, headers, responseType };
    return send(this.http, {
      provider: 'circle',
      operation,
      config,
      schema,
      readError: readCircleError,
      signal: opts.signal,
    });
  }

  async createClient(body: CreateClientBody, idempotencyKey: string, opts?: CallOptions) {
    const extra = { data: body, idempotencyKey };
    const res = await this.call('createClient', 'POST', CLIENTS, s.createdClientSchema, opts, extra);
    return { clientEntityId: res.data.clientEntityId, applicationId: res.data.applicationId };
  }

  /** One page of clients, newest first; `nextPageAfter` comes from the `Link: <...>; rel="next"` header. */
  async listClients(page: { pageSize?: number; pageAfter?: string } = {}, opts?: CallOptions) {
    const { body, headers } = await sendWithHeaders(this.http, {
      provider: 'circle',
      operation: 'listClients',
      config: { method: 'GET', url: CLIENTS, params: page },
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
    return this.call('getApplication', 'GET', app(applicationId), s.applicationResponseSchema, opts);
  }

  async listApplications(
    query: { status?: string; limit?: number; startingAfter?: string } = {},
    opts?: CallOptions,
  ) {
    const params = { status: query.status, limit: query.limit, starting_after: query.startingAfter };
    return this.call('listApplications', 'GET', APPS, s.applicationListSchema, opts, { params });
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

  cancelApplication(applicationId: string, opts?: CallOptions) {
    return this.call('cancelApplication', 'DELETE', app(applicationId), s.applicationResponseSchema, opts);
  }

  getSchema(applicationId: string, resolved = false, opts?: CallOptions) {
    const extra = { params: { resolved } };
    return this.call('getSchema', 'GET', app(applicationId, 'schema'), s.schemaResponseSchema, opts, extra);
  }

  listSections(applicationId: string, opts?: CallOptions) {
    return this.call('listSections', 'GET', app(applicationId, 'sections'), s.sectionListSchema, opts);
  }

  saveSection(applicationId: string, sectionName: string, payload: unknown, opts?: CallOptions) {
    const url = app(applicationId, 'sections', sectionName);
    return this.call('saveSection', 'PUT', url, s.saveResponseSchema, opts, { data: payload });
  }

  /** `DELETE .../sections/{sectionName}/{refId}`: removes one entity of an array section. */
  deleteEntity(applicationId: string, sectionName: string, refId: string, opts?: CallOptions) {
    return this.call(
      'deleteEntity',
      'DELETE',
      app(applicationId, 'sections', sectionName, refId),
      z.unknown(),
      opts,
    );
  }

  /** All visible section data keyed by section name (round-trips into `saveSections`). */
  async getData(applicationId: string, opts?: CallOptions) {
    return (await this.call('getData', 'GET', app(applicationId, 'data'), s.dataResponseSchema, opts)).data;
  }

  /** Bulk save: Circle validates every section before saving any (all-or-nothing). */
  saveSections(applicationId: string, sections: Record<string, unknown>, opts?: CallOptions) {
    const url = app(applicationId, 'data');
    return this.call('saveSections', 'PATCH', url, s.saveResponseSchema, opts, { data: sections });
  }

  submit(applicationId: string, body: SubmitBody, idempotencyKey: string, opts?: CallOptions) {
    const extra = { data: body, idempotencyKey };
    return this.call('submit', 'POST', app(applicationId, 'submit'), s.submitResponseSchema, opts, extra);
  }

  listRfis(applicationId: string, opts?: CallOptions) {
    return this.call('listRfis', 'GET', app(applicationId, 'rfis'), s.rfiListSchema, opts);
  }

  getRfi(applicationId: string, rfiId: string, opts?: CallOptions) {
    return this.call('getRfi', 'GET', app(applicationId, 'rfis', rfiId), s.rfiResponseSchema, opts);
  }

  answerRfi(applicationId: string, rfiId: string, payload: Record<string, unknown>, opts?: CallOptions) {
    const url = app(applicationId, 'rfis', rfiId);
    return this.call('answerRfi', 'PATCH', url, s.rfiAnswerResponseSchema, opts, { data: payload });
  }

  /**
   * `POST .../documents` (multipart): the text parts, then the file. Circle judges the file by its bytes,
   * so the part's declared type is left generic.
   */
  async uploadDocument(
    applicationId: string,
    parts: UploadDocumentParts,
    file: Uint8Array,
    idempotencyKey: string,
    opts?: CallOptions,
  ): Promise<{ documentId: string }> {
    const form = new FormData();
    for (const [name, value] of Object.entries(parts)) if (value !== undefined) form.append(name, value);
    form.append('fileContent', new Blob([file]), parts.fileName);
    // The instance's JSON Content-Type would make axios serialise the form as JSON; with this one it
    // writes the multipart body and sets the boundary itself.
    const extra = { data: form, idempotencyKey, headers: { 'Content-Type': 'multipart/form-data' } };
    const url = app(applicationId, 'documents');
    const res = await this.call('uploadDocument', 'POST', url, s.uploadedDocumentSchema, opts, extra);
    return { documentId: res.documentId };
  }

  async listDocuments(applicationId: string, opts?: CallOptions): Promise<DocumentListItem[]> {
    const url = app(applicationId, 'documents');
    return (await this.call('listDocuments', 'GET', url, s.documentListSchema, opts)).documents;
  }

  /** The file's bytes as uploaded. */
  downloadDocument(applicationId: string, documentId: string, opts?: CallOptions): Promise<Buffer> {
    const url = app(applicationId, 'documents', documentId);
    const extra = { responseType: 'arraybuffer' as const };
    return this.call('downloadDocument', 'GET', url, s.documentBytesSchema, opts, extra);
  }

  async deleteDocument(applicationId: string, documentId: string, opts?: CallOptions): Promise<void> {
    const url = app(applicationId, 'documents', documentId);
    await this.call('deleteDocument', 'DELETE', url, z.unknown(), opts);
  }

  /** `POST /v1/accounts`: Circle takes the idempotency key in the body here. */
  async createAccount(body: CreateAccountBody, opts?: CallOptions) {
    return (await this.call('createAccount', 'POST', ACCOUNTS, s.accountResponseSchema, opts, { data: body }))
      .data;
  }

  async getAccount(accountId: string, opts?: CallOptions) {
    return (
      await this.call('getAccount', 'GET', `${ACCOUNTS}/${enc(accountId)}`, s.accountResponseSchema, opts)
    ).data;
  }

  async listAccounts(
    filter: { clientEntityId?: string; type?: string; purpose?: string } = {},
    opts?: CallOptions,
  ) {
    return (await this.call('listAccounts', 'GET', ACCOUNTS, s.accountListSchema, opts, { params: filter }))
      .data;
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
