// The protected API's body parsing: JSON only (plus multipart on the upload route), its nesting depth
// checked on the raw text before JSON.parse, so a deeply nested body never reaches a recursive
// parser, validator or converter (a stack overflow would be a 500). Fastify's body limit still applies
// first: the text is at most `bodyLimit` bytes. Any other Content-Type is 415.
import type { FastifyInstance } from 'fastify';
import { Problem, ServiceProblem } from './problems';

/** Deeper than any input, section or answer the contract knows (those are under 10 levels). */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` opens more than `max` arrays or objects inside one another (strings skipped). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** Replaces the context's parsers: depth-checked JSON, and no text/plain (a JSON route answers 415). */
export function registerJsonBodyParser(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, maxDepth)) {
      done(
        new Problem(
          400,
          ServiceProblem.BodyTooDeep,
          `the JSON body is nested deeper than ${maxDepth} levels`,
          [{ path: '', error: 'too_deep', message: `at most ${maxDepth} nested arrays or objects` }],
        ),
        undefined,
      );
      return;
    }
    parse(request, body as string, done);
  });
}
