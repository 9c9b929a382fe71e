// docs/failure-types.md lists every stable failure type a caller can see. These checks fail when a
// type is added without its row, when a row names a type the code never produces, or when the page
// says a partner error is retried and the classifier does not (or the reverse).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureType, isRetryable, toApplicationFailure } from '../../src/activities/failures';
import { MessageRejection, OnboardingFailure, StartRefusal } from '../../src/contract';
import { DocumentSourceError } from '../../src/documents/source-error';
import { problem } from '../../src/notifications/problem';
import { REJECTION_REASONS } from '../../src/notifications/rejection';
import { PartnerApiError } from '../../src/partner-api/error';
import { ServiceProblem } from '../../src/service/problems';

const page = readFileSync(join(__dirname, '..', '..', 'docs', 'failure-types.md'), 'utf8');

/** The text under `## heading`, up to the next `## ` heading. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/failure-types.md has no section "${heading}"`);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/** The cells of each table row whose first cell is one `code` span, by that code. */
function rows(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (name) found.set(name, cells.slice(1));
  }
  return found;
}

test.each([
  ['An onboarding that fails', Object.values(OnboardingFailure)],
  ['A refused message', Object.values(MessageRejection)],
  ['A refused start', Object.values(StartRefusal)],
  ['The HTTP service', Object.values(ServiceProblem)],
])('every type of "%s" has its row', (heading, types) => {
  const documented = rows(section(heading));
  expect(types.filter((t) => !documented.has(t))).toEqual([]);
});

test('every reason of a partner API error has its row, and the page says whether it is retried', () => {
  const error = (init: Partial<ConstructorParameters<typeof PartnerApiError>[0]>) =>
    new PartnerApiError({ provider: 'circle', kind: 'http', operation: 'op', message: 'm', ...init });
  const errors = [
    ...Array.from({ length: 200 }, (_, i) => error({ status: 400 + i })),
    error({ status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' }),
    error({ kind: 'network' }),
    error({ kind: 'timeout' }),
    error({ kind: 'invalid-response', status: 200 }),
  ];
  const expected = new Map(errors.map((e) => [failureType(e).replace(/^Circle/, ''), isRetryable(e)]));
  const documented = rows(section('Partner API errors'));
  const retried = new Map([...documented].map(([reason, cells]) => [reason, cells.at(-1) === 'yes']));
  expect(retried).toEqual(expected);
});

test('every document error has its row', () => {
  const typeOf = (err: DocumentSourceError) => (toApplicationFailure(err) as { type: string }).type;
  const types = [
    typeOf(new DocumentSourceError('unreachable', 'm')),
    typeOf(new DocumentSourceError('not_found', 'm')),
    'DocumentChanged', // thrown by the upload activity when the bytes changed since the check
  ];
  const documented = rows(section('Document errors'));
  expect(types.filter((t) => !documented.has(t))).toEqual([]);
});

test("every reason the notification endpoint refuses a message for has its row, with the endpoint's status", () => {
  const documented = rows(section('The notification endpoint'));
  for (const reason of REJECTION_REASONS) expect(documented.has(reason)).toBe(true);
  expect(documented.size).toBeGreaterThan(REJECTION_REASONS.length);
  for (const [type, [status]] of documented) {
    expect([type, problem(type as Parameters<typeof problem>[0], '').status]).toEqual([type, Number(status)]);
  }
});
