// The service's OpenAPI 3.1 document, made by @fastify/swagger from the routes themselves: their zod
// schemas (the same ones that validate requests) through fastify-type-provider-zod's transform, plus
// what a route documents without a validator (`config.openapiBody`: a body its handler reads itself,
// multipart or SNS). Served at /openapi.json; written to schemas/onboarding-service.openapi.json by
// `npm run schemas` (a test fails when that file is stale).
import type {
  FastifyDynamicSwaggerOptions,
  SwaggerTransform,
  SwaggerTransformObject,
} from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A request body the handler reads itself (multipart, SNS): documented only, never validated. */
    openapiBody?: { content: Record<string, unknown> };
  }
}

type Json = Record<string, unknown>;

const zodTransform = createJsonSchemaTransform({ skipList: [] });
const zodTransformObject = createJsonSchemaTransformObject({});

/** `:id` -> `{id}`, as @fastify/swagger writes paths. */
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/**
 * The provider's transform, keeping what it drops: a response's `headers` (it keeps only description
 * and content), and the id of an explicit HEAD operation (@fastify/swagger suffixes it with `-head`,
 * meant for GET's automatic twin). A route's `openapiBody` is noted for transformObject.
 */
function transformWith(bodies: Map<string, Json>): SwaggerTransform {
  return (input) => {
    const out = zodTransform(input as Parameters<typeof zodTransform>[0]);
    const { route } = input;
    const body = route.config?.openapiBody;
    for (const method of [route.method].flat()) {
      if (body) bodies.set(`${method.toLowerCase()} ${openapiPath(input.url)}`, body);
    }
    const schema = out.schema as Json & { response?: Record<string, Json>; operationId?: string };
    for (const [status, given] of Object.entries((input.schema?.response ?? {}) as Record<string, Json>)) {
      if (given?.headers && schema.response?.[status]) {
        schema.response[status] = { ...schema.response[status], headers: given.headers };
      }
    }
    if (route.method === 'HEAD' && schema.operationId?.endsWith('-head')) {
      schema.operationId = schema.operationId.slice(0, -'-head'.length);
    }
    return { ...out, schema };
  };
}

/**
 * The provider's components (every schema registered with an id, as `<id>` for responses and
 * `<id>Input` for requests), reduced to those the document uses, a request schema named `<id>` when
 * only its request form is used; and each noted `openapiBody` as its operation's request body.
 */
function transformObjectWith(bodies: Map<string, Json>): SwaggerTransformObject {
  return (input) => {
    const document = zodTransformObject(input) as Json & {
      paths: Record<string, Record<string, Json>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const [at, body] of bodies) {
      const [method, path] = at.split(' ') as [string, string];
      const operation = document.paths[path]?.[method];
      if (operation) operation.requestBody = { required: true, ...body };
    }
    const all = document.components.schemas;
    const used = new Set<string>();
    const visit = (value: unknown) => {
      for (const [, name] of JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
        if (name && !used.has(name) && name in all) {
          used.add(name);
          visit(all[name]);
        }
      }
    };
    visit({ ...document, components: { ...document.components, schemas: {} } });
    const names = new Map(
      [...used].map((name) => {
        const base = name.replace(/Input$/, '');
        return [name, base !== name && !used.has(base) ? base : name];
      }),
    );
    const schemas = Object.fromEntries([...used].sort().map((name) => [names.get(name)!, all[name]]));
    const renamed = JSON.stringify({ ...document, components: { ...document.components, schemas } }).replace(
      /"#\/components\/schemas\/([^"]+)"/g,
      (ref, name: string) => (names.has(name) ? `"#/components/schemas/${names.get(name)}"` : ref),
    );
    return JSON.parse(renamed) as ReturnType<SwaggerTransformObject>;
  };
}

/** What the document says besides its operations. */
const DOCUMENT: FastifyDynamicSwaggerOptions['openapi'] = {
  openapi: '3.1.0',
  info: {
    title: 'Circle partner onboarding service',
    version: '1.0.0',
    license: { name: 'MIT', identifier: 'MIT' },
    description:
      'Starts onboardings of business clients with Circle and sends them messages (RFI answers, section data, documents). Errors are RFC 9457 problem details.',
  },
  servers: [{ url: '/', description: 'The service that serves this document' }],
  tags: [
    { name: 'onboardings', description: 'Start, read, list and cancel onboardings' },
    { name: 'messages', description: 'RFI answers, section data and documents for a running onboarding' },
    { name: 'notifications', description: 'Circle’s notifications, delivered by Amazon SNS' },
    { name: 'operations', description: 'Liveness, readiness and this document' },
  ],
  security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    },
  },
};

/** @fastify/swagger's options for one service (each builds its own document). */
export function swaggerOptions(): FastifyDynamicSwaggerOptions {
  const bodies = new Map<string, Json>();
  return {
    transform: transformWith(bodies),
    transformObject: transformObjectWith(bodies),
    openapi: DOCUMENT,
  };
}
