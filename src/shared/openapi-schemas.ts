// What the service's OpenAPI document and the notification endpoint's part of it share: the fields of
// an RFC 9457 problem, and a `$ref` to a zod schema's request form. Zod only: nothing from `src/`.
import { z } from 'zod';

/** The fields every problem of this project has (each endpoint adds its own `failureType`, ...). */
export const problemFields = {
  type: z.url(),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string(),
};

/**
 * A `$ref` to the request form of a zod schema registered with an id (`.meta({ id })`), for a body
 * documented by `openapiBody`: fastify-type-provider-zod names it `<id>Input` (the service's transformObject
 * (service/openapi.ts) names it back when the response form is not used).
 */
export function requestSchemaRef(schema: z.ZodType): { $ref: string } {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('requestSchemaRef: the schema has no id (.meta({ id }))');
  return { $ref: `#/components/schemas/${id}Input` };
}
