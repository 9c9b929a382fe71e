// Request validation: the routes' zod schemas (the same ones the OpenAPI document is made of) check
// each part of a request before its handler runs, and a failure becomes a 400 problem naming each field.
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { invalidRequest, type FieldProblem, Problem } from './problems';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How a body its schema refuses is answered (default: 400 InvalidRequest naming "the body"). */
    invalidBody?: { failureType: string; what: string };
  }
}

/** Zod's issues as per-field problems; a custom issue's code is its `params.error` (else `custom`). */
function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    error: i.code === 'custom' && typeof i.params?.error === 'string' ? i.params.error : i.code,
    message: i.message,
  }));
}

const describe = (what: string, errors: FieldProblem[]) =>
  `${what} is not valid: ${errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; ')}`;

/** A request part its schema refused; the error handler answers it as the route says (`invalidBody`). */
export class InvalidRequestPart extends Error {
  constructor(
    readonly part: 'body' | 'querystring' | 'params' | 'headers',
    readonly errors: FieldProblem[],
  ) {
    super(`the ${part} is not valid`);
  }

  problem(invalidBody?: { failureType: string; what: string }): Problem {
    if (this.part === 'body' && invalidBody) {
      return new Problem(400, invalidBody.failureType, describe(invalidBody.what, this.errors), this.errors);
    }
    return invalidRequest(describe(WHAT[this.part], this.errors), this.errors);
  }
}

const WHAT = { body: 'the body', querystring: 'the query', params: 'the path', headers: 'a header' };

/** Where each part's fields are named: `query.pageSize`, `headers.idempotency-key`; path and body bare. */
const PREFIX = { body: '', querystring: 'query', params: '', headers: 'headers' };

/**
 * Fastify's validator compiler for the routes' zod schemas. Path and query parameters are handed to
 * the handler parsed (coerced numbers, defaults); a body as it was sent, because the workflow gets
 * the input as sent (it applies the defaults itself, as with the CLI) and a message's Idempotency-Key
 * is bound to the body as sent. Header names are matched in lower case, as Node.js gives them.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart, url, method }) => {
  if (!(schema instanceof z.ZodType)) {
    throw new Error(`${method} ${url}: the ${httpPart} schema must be a zod schema`);
  }
  const part = (httpPart ?? 'body') as InvalidRequestPart['part'];
  const headerNames = part === 'headers' && schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return (data: unknown) => {
    const value =
      part === 'headers'
        ? Object.fromEntries(headerNames.map((n) => [n, (data as Record<string, unknown>)[n.toLowerCase()]]))
        : data;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const errors = zodProblems(parsed.error, PREFIX[part]).map((e) =>
        part === 'headers' ? headerProblem(e, value as Record<string, unknown>) : e,
      );
      return { error: new InvalidRequestPart(part, errors) };
    }
    return part === 'params' || part === 'querystring' ? { value: parsed.data } : true;
  };
};

/** A header's problem names it in lower case; it is `required` (missing) or `invalid_format`. */
function headerProblem(e: FieldProblem, headers: Record<string, unknown>): FieldProblem {
  const name = e.path.slice('headers.'.length);
  return {
    ...e,
    path: `headers.${name.toLowerCase()}`,
    error: headers[name] === undefined ? 'required' : 'invalid_format',
  };
}

/**
 * The problem of a request a schema refused. Fastify checks the path, the body, the query, then the
 * headers; a bad header (the Idempotency-Key) is answered first all the same, as it always was.
 */
export function refusal(err: InvalidRequestPart, request: FastifyRequest): Problem {
  const headers = request.routeOptions.schema?.headers;
  if (err.part !== 'headers' && headers) {
    const check = validatorCompiler({
      schema: headers as z.ZodType,
      httpPart: 'headers',
      url: request.routeOptions.url ?? '',
      method: request.method,
    });
    const result = check(request.headers);
    if (typeof result === 'object' && 'error' in result && result.error instanceof InvalidRequestPart) {
      return result.error.problem();
    }
  }
  return err.problem(request.routeOptions.config.invalidBody);
}

/** Responses are sent as they are: their schemas type the handlers and document them. */
export const serializerCompiler = () => (data: unknown) => JSON.stringify(data);
