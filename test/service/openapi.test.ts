// The service's OpenAPI document is valid OpenAPI 3.1, describes exactly the routes the service has,
// and the committed copy (schemas/onboarding-service.openapi.json) is the one the code builds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { Client, Connection } from '@temporalio/client';
import { circleNotificationsWith, createSnsVerifier, SANDBOX_TOPIC_ARN } from '../../src/notifications';
import { buildOpenApiDocument, buildService } from '../../src/service';

const root = join(__dirname, '..', '..');

let built: Record<string, unknown>;
beforeAll(async () => {
  built = await buildOpenApiDocument();
});
/** A copy: validate() dereferences in place. */
const buildDocument = () => structuredClone(built);

test('the document is valid OpenAPI 3.1', async () => {
  const document = buildDocument();
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
  expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
  expect(document.openapi).toBe('3.1.0');
});

test('a broken document is refused (the validation can fail)', async () => {
  const document = buildDocument() as { paths: Record<string, Record<string, unknown>> };
  document.paths['/healthz']!.get = { responses: { 200: { $ref: '#/components/responses/Missing' } } };
  const result = await validate(document as unknown as Parameters<typeof validate>[0]);
  expect(result.valid).toBe(false);
});

test('its paths and methods are exactly the service routes', async () => {
  const routes = new Set<string>();
  const app = buildService({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    idKey: 'test-id-key-0123456789',
    apiKeys: [],
    rateLimitPerMinute: 60,
    bodyLimitBytes: 1024,
    documents: { dir: root, maxBytes: 1024 },
    // As the service runs (from-config.ts): with Circle's notification receiver mounted.
    plugins: [
      circleNotificationsWith({
        verifier: createSnsVerifier({ topicArn: SANDBOX_TOPIC_ARN }),
        relay: () => Promise.reject(new Error('unused')),
      }),
    ],
  });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // /docs is the Swagger UI page and its assets.
      if (route.url.startsWith('/docs')) continue;
      routes.add(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    }
  });
  await app.ready();
  await app.close();
  // HEAD is Fastify's automatic twin of every GET: only an explicit HEAD (SNS's probe) is documented.
  for (const route of [...routes]) {
    if (route.startsWith('HEAD ') && routes.has(route.replace(/^HEAD/, 'GET'))) routes.delete(route);
  }

  const { paths } = buildDocument() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(routes.size).toBeGreaterThanOrEqual(11);
  expect(routes).toContain('POST /v1/notifications/circle');
  expect(routes).toContain('HEAD /v1/notifications/circle');
  expect([...routes].sort()).toEqual(documented.sort());
});

test('schemas/onboarding-service.openapi.json is up to date (run `npm run schemas`)', () => {
  const committed: unknown = JSON.parse(
    readFileSync(join(root, 'schemas', 'onboarding-service.openapi.json'), 'utf8'),
  );
  expect(committed).toEqual(buildDocument());
});

test('every operation has a unique operationId, the document names its server, no component is unused', () => {
  const document = buildDocument() as {
    servers?: { url: string }[];
    paths: Record<string, Record<string, { operationId?: string }>>;
    components: Record<string, Record<string, unknown>>;
  };
  expect(document.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ at: `${method} ${path}`, id: op.operationId })),
  );
  expect(operations.filter((o) => !o.id)).toEqual([]);
  expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);

  const refs = new Set(JSON.stringify(document).match(/#\/components\/[A-Za-z]+\/[A-Za-z0-9._-]+/g));
  const { securitySchemes: _used, ...components } = document.components;
  const unused = Object.entries(components).flatMap(([kind, entries]) =>
    Object.keys(entries)
      .map((name) => `#/components/${kind}/${name}`)
      .filter((ref) => !refs.has(ref)),
  );
  expect(unused).toEqual([]);
});
