// Clive partner API: create client (API key + HMAC of the raw body + idempotency-key) and list clients.
// Registered in its own encapsulated instance so its checks and error bodies stay Clive's.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimContext } from '../context';
import { cliveFail } from '../errors';
import { idempotent, meta } from '../http';
import { validateCliveClient } from '../request-schemas';
import { now, type CliveClientRecord } from '../state';
import { check } from '../validation';

export function cliveRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.addHook('onRequest', async (request) => {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key === '')
      throw cliveFail(401, 'API_KEY_MISSING', 'x-api-key header is required');
    if (!safeEqual(key, ctx.config.cliveApiKey)) throw cliveFail(401, 'API_KEY_INVALID', 'Invalid API key');
  });

  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST') checkHmac(request, ctx.config.cliveHmacSecret);
    const jsonError = meta(request).jsonError;
    if (jsonError) throw cliveFail(400, 'VALIDATION_ERROR', `Malformed JSON body: ${jsonError}`);
  });

  app.post('/api/v1/clients', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      throw cliveFail(400, 'IDEMPOTENCY_KEY_MISSING', 'idempotency-key header is required');
    }
    return idempotent(ctx, request, reply, key, () => {
      const errors = check(validateCliveClient, request.body);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (Object.hasOwn(body, 'partner_id')) {
        errors.push({
          path: 'partner_id',
          error: 'not_allowed',
          message: 'partner_id comes from the API key; do not send it',
        });
      }
      if (errors.length) throw cliveFail(400, 'VALIDATION_ERROR', 'Invalid request body', errors);
      const b = body as {
        client_id: string;
        legal_name: string;
        status?: CliveClientRecord['status'];
        partner_fee_percentage?: number;
        partner_fee_flat_usd?: number;
      };
      const minimum = ctx.config.clivePartnerFeePercentage;
      if (b.partner_fee_percentage !== undefined && b.partner_fee_percentage < minimum) {
        throw cliveFail(
          400,
          'CLIENT_FEE_BELOW_CLIVE_FEE',
          `partner_fee_percentage ${b.partner_fee_percentage} is below the partner's Clive fee percentage ${minimum}`,
          { minimum },
        );
      }
      const { state } = ctx;
      if (state.cliveClients.has(b.client_id)) {
        throw cliveFail(409, 'CLIENT_EXISTS', `A client with client_id ${b.client_id} already exists`);
      }
      const at = now();
      const client: CliveClientRecord = {
        id: `cm${randomBytes(12).toString('hex').slice(0, 23)}`,
        partner_id: ctx.config.clivePartnerId,
        client_id: b.client_id,
        legal_name: b.legal_name,
        status: b.status ?? 'active',
        partner_fee_percentage: b.partner_fee_percentage ?? null,
        partner_fee_flat_usd: b.partner_fee_flat_usd ?? null,
        created_at: at,
        updated_at: at,
      };
      state.cliveClients.set(client.client_id, client);
      state.cliveOrder.push(client.client_id);
      return { status: 201, body: { ...client } };
    });
  });

  app.get('/api/v1/clients', async () => ({
    items: [...ctx.state.cliveOrder].reverse().map((id) => ({ ...ctx.state.cliveClients.get(id)! })),
  }));
}

/** Lower-case hex HMAC-SHA256 of the exact bytes received. */
function checkHmac(request: FastifyRequest, secret: string): void {
  const given = request.headers['x-clive-hmac'];
  if (typeof given !== 'string' || given === '')
    throw cliveFail(401, 'HMAC_MISSING', 'x-clive-hmac header is required');
  const expected = createHmac('sha256', secret)
    .update(meta(request).rawBody ?? Buffer.alloc(0))
    .digest('hex');
  if (!safeEqual(given.toLowerCase(), expected))
    throw cliveFail(401, 'HMAC_INVALID', 'HMAC signature does not match the body');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
