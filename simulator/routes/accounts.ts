// Accounts: create (standard custody or Managed Payments intermediary, chosen by the body), get, list,
// archive. New accounts are `pending` and become `active` after the configured delay.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_STATUSES, type AccountStatus } from '../circle-enums';
import type { SimContext } from '../context';
import { circleFail } from '../errors';
import { idempotent, queryInt, queryList, queryParam, UUID } from '../http';
import {
  accountModes,
  hiddenAfterCreate,
  listedAccount,
  noteAccount,
  pageSize as servedPageSize,
  servedAccount,
  withAccountStatus,
} from '../realism-serve';
import { validateArchive, validateManagedPaymentsAccount, validateStandardAccount } from '../request-schemas';
import { isPlainObject } from '../sections';
import { now, type AccountRecord } from '../state';
import { check } from '../validation';
import { accountView } from '../views';

type AccountParams = { Params: { accountId: string } };

const TYPES = ['first_party', 'third_party'];
const PURPOSES = ['custody', 'payments'];

/** `idempotencyKey` travels in the body here; it must be there (and a UUID) before anything runs. */
function bodyIdempotencyKey(body: unknown): string {
  const key = isPlainObject(body) ? body.idempotencyKey : undefined;
  if (typeof key !== 'string' || !UUID.test(key)) {
    const error = key === undefined ? 'required' : 'invalid_format';
    throw circleFail(400, 'idempotencyKey (a UUID) is required in the body.', [
      { path: 'idempotencyKey', error, message: 'idempotencyKey must be a UUID' },
    ]);
  }
  return key;
}

const isManagedPayments = (b: Record<string, unknown>) =>
  ['businessPii', 'individualPii', 'endCustomerType'].some((k) => Object.hasOwn(b, k));

export function accountRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v1/accounts', async (request, reply) => {
    const key = bodyIdempotencyKey(request.body);
    return idempotent(ctx, request, reply, key, () => {
      const body = request.body as Record<string, unknown>;
      const account = isManagedPayments(body)
        ? managedPaymentsAccount(ctx, body)
        : standardAccount(ctx, body);
      const { state } = ctx;
      if (state.accountByDescription.has(account.description.toLowerCase())) {
        throw circleFail(409, `An account with the description "${account.description}" already exists.`);
      }
      state.accounts.set(account.accountId, account);
      state.accountOrder.push(account.accountId);
      state.accountByDescription.set(account.description.toLowerCase(), account.accountId);
      state.nextAccountNumber++;
      noteAccount(ctx, account);
      ctx.scheduler.schedule(`account:${account.accountId}`, ctx.delays.accountActivationDelayMs, () => {
        if (account.status === 'pending') account.status = 'active';
        noteAccount(ctx, account);
      });
      const view = withAccountStatus(accountModes(ctx, account), accountView(account));
      return { status: 201, body: { data: view } };
    });
  });

  app.get<AccountParams>('/v1/accounts/:accountId', async (request) => {
    const account = findAccount(ctx, request);
    if (hiddenAfterCreate(accountModes(ctx, account), account.createDate)) throw accountNotFound();
    return { data: servedAccount(ctx, account) };
  });

  app.get('/v1/accounts', async (request, reply) => {
    const clientEntityId = queryParam(request, 'clientEntityId');
    const type = queryParam(request, 'type');
    const purpose = queryParam(request, 'purpose');
    const statuses = queryList(request, 'status');
    if (clientEntityId !== undefined && !UUID.test(clientEntityId))
      throw badQuery('clientEntityId', 'must be a UUID');
    if (type !== undefined && !TYPES.includes(type))
      throw badQuery('type', `must be one of ${TYPES.join(', ')}`);
    if (purpose !== undefined && !PURPOSES.includes(purpose)) {
      throw badQuery('purpose', `must be one of ${PURPOSES.join(', ')}`);
    }
    for (const s of statuses) {
      if (!ACCOUNT_STATUSES.includes(s as AccountStatus)) {
        throw badQuery('status', `must be one of ${ACCOUNT_STATUSES.join(', ')}`);
      }
    }
    const wanted = new Set(statuses.length ? statuses : ACCOUNT_STATUSES.filter((s) => s !== 'archived'));
    // Paged only when asked (`pageSize`, `pageAfter`) or when realism caps pages (maxPageSize).
    const requested = queryInt(request, 'pageSize', 1, 100, Number.MAX_SAFE_INTEGER);
    const size = servedPageSize(ctx, requested);
    const after = queryParam(request, 'pageAfter');
    const { state } = ctx;
    let from = state.accountOrder.length - 1;
    if (after !== undefined) {
      const at = state.accountOrder.lastIndexOf(after);
      if (at < 0) throw badQuery('pageAfter', 'must be the accountId of a listed account');
      from = at - 1;
    }
    const page: AccountRecord[] = [];
    let more = false;
    for (let i = from; i >= 0; i--) {
      const a = state.accounts.get(state.accountOrder[i]!)!;
      if (!wanted.has(a.status)) continue;
      if (clientEntityId !== undefined && a.clientEntityId !== clientEntityId) continue;
      if (type !== undefined && a.type !== type) continue;
      if (purpose !== undefined && a.purpose !== purpose) continue;
      if (!listedAccount(ctx, a)) continue;
      if (page.length === size) {
        more = true;
        break;
      }
      page.push(a);
    }
    if (more) {
      const next = new URLSearchParams(request.url.split('?')[1] ?? '');
      next.set('pageAfter', page[page.length - 1]!.accountId);
      reply.header('Link', `<${request.protocol}://${request.host}/v1/accounts?${next}>; rel="next"`);
    }
    return { data: page.map((a) => servedAccount(ctx, a)) };
  });

  app.post<AccountParams>('/v1/accounts/:accountId/archive', async (request, reply: FastifyReply) => {
    const account = findAccount(ctx, request);
    const key = bodyIdempotencyKey(request.body);
    return idempotent(ctx, request, reply, key, () => {
      const errors = check(validateArchive, request.body);
      if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
      if (account.status !== 'archived') {
        account.status = 'archived';
        ctx.scheduler.cancel(`account:${account.accountId}`);
        ctx.state.accountByDescription.delete(account.description.toLowerCase());
      }
      return { status: 200, body: { data: accountView(account) } };
    });
  });
}

function findAccount(ctx: SimContext, request: FastifyRequest<AccountParams>): AccountRecord {
  const account = ctx.state.accounts.get(request.params.accountId);
  if (!account) throw accountNotFound();
  return account;
}

const accountNotFound = () => circleFail(404, 'Account not found.');

function newAccount(
  ctx: SimContext,
  fields: Pick<AccountRecord, 'type' | 'purpose' | 'description'>,
): AccountRecord {
  return {
    accountId: String(ctx.state.nextAccountNumber),
    entityId: ctx.config.partnerEntityId,
    status: 'pending',
    balances: [],
    groupId: null,
    createDate: now(),
    ...fields,
  };
}

function standardAccount(ctx: SimContext, body: Record<string, unknown>): AccountRecord {
  const errors = check(validateStandardAccount, body);
  if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
  const b = body as { description: string; type: 'first_party' | 'third_party'; clientEntityId?: string };
  if (b.type === 'first_party' && b.clientEntityId !== undefined) {
    throw circleFail(400, 'first_party accounts are owned by the caller; omit clientEntityId.', [
      {
        path: 'clientEntityId',
        error: 'not_allowed',
        message: 'clientEntityId is only for third_party accounts',
      },
    ]);
  }
  if (b.type === 'third_party') {
    if (b.clientEntityId === undefined) {
      throw circleFail(400, 'third_party accounts need clientEntityId.', [
        {
          path: 'clientEntityId',
          error: 'required',
          message: 'clientEntityId is required for third_party accounts',
        },
      ]);
    }
    const client = ctx.state.clients.get(b.clientEntityId);
    if (!client) throw circleFail(404, `Client ${b.clientEntityId} not found.`);
    const status = ctx.state.applications.get(client.applicationId)?.status;
    if (status !== 'APPROVED') {
      throw circleFail(400, `Client ${b.clientEntityId} is not approved (application status ${status}).`);
    }
  }
  return {
    ...newAccount(ctx, { type: b.type, purpose: 'custody', description: b.description }),
    ...(b.type === 'third_party' ? { clientEntityId: b.clientEntityId } : {}),
  };
}

function managedPaymentsAccount(ctx: SimContext, body: Record<string, unknown>): AccountRecord {
  const errors = check(validateManagedPaymentsAccount, body);
  const individual = body.endCustomerType === 'individual';
  const needs = individual ? 'individualPii' : 'businessPii';
  const refuses = individual ? 'businessPii' : 'individualPii';
  if (!Object.hasOwn(body, needs))
    errors.push({ path: needs, error: 'required', message: `${needs} is required` });
  if (Object.hasOwn(body, refuses))
    errors.push({ path: refuses, error: 'not_allowed', message: `${refuses} is not allowed here` });
  if (Object.hasOwn(body, 'clientEntityId')) {
    errors.push({
      path: 'clientEntityId',
      error: 'not_allowed',
      message: 'intermediary accounts take no clientEntityId',
    });
  }
  if (errors.length) throw circleFail(400, 'Invalid request body.', errors);
  const b = body as { description: string; businessPii?: unknown };
  return {
    ...newAccount(ctx, { type: 'first_party', purpose: 'payments', description: b.description }),
    ...(b.businessPii ? { businessPii: structuredClone(b.businessPii) } : {}),
  };
}

function badQuery(name: string, rule: string) {
  return circleFail(400, `${name} ${rule}`, [
    { path: name, error: 'invalid_value', message: `${name} ${rule}` },
  ]);
}
