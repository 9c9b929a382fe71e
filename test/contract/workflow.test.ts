// The business-key rule: one workflow id per Circle client, with no client name visible in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { inputDigest, onboardingsQuery, onboardingWorkflowId } from '../../src/contract';

const client = { clientName: 'Acme Trust Co.', country: 'US' };

const KEY = 'a-shared-secret-of-the-partner';

test('the workflow id is a keyed business key on the exact name and country, with no name in it', () => {
  const id = onboardingWorkflowId(client, KEY);
  expect(id).toMatch(/^onboarding-US-[0-9a-f]{32}$/);
  expect(id).not.toContain('Acme');
  expect(onboardingWorkflowId({ ...client }, KEY)).toBe(id);
  // Circle keeps the exact pair unique, so does the id: another spelling is another Circle client.
  expect(onboardingWorkflowId({ clientName: 'acme trust co.', country: 'US' }, KEY)).not.toBe(id);
  expect(onboardingWorkflowId({ clientName: 'Acme Trust Co.', country: 'GB' }, KEY)).not.toBe(id);
  // Without the key, a list of company names does not lead back to the id.
  expect(onboardingWorkflowId(client, 'another-key-entirely')).not.toBe(id);
});

test('the business key is the name Circle receives: surrounding whitespace is trimmed, nothing else', () => {
  const id = onboardingWorkflowId(client, KEY);
  expect(onboardingWorkflowId({ clientName: '  Acme Trust Co. ', country: 'US' }, KEY)).toBe(id);
  expect(onboardingWorkflowId({ clientName: 'Acme Trust Co.\t\n', country: 'US' }, KEY)).toBe(id);
  expect(onboardingWorkflowId({ clientName: 'Acme  Trust Co.', country: 'US' }, KEY)).not.toBe(id);
});

test('the input digest ignores key order and undefined fields, and sees every value', () => {
  const a = { client, options: { pollInterval: 5000, saveMode: 'bulk' } };
  const b = { options: { saveMode: 'bulk', pollInterval: 5000, extra: undefined }, client };
  expect(inputDigest(a, KEY)).toBe(inputDigest(b, KEY));
  expect(inputDigest({ ...a, options: { pollInterval: 6000, saveMode: 'bulk' } }, KEY)).not.toBe(
    inputDigest(a, KEY),
  );
});

test('the onboardings query filters by search attribute and refuses values that would need quoting', () => {
  expect(onboardingsQuery()).toBe("WorkflowType = 'onboardPartnerClient'");
  expect(onboardingsQuery({ step: 'in-review', applicationId: 'a1b2-c3' })).toBe(
    "WorkflowType = 'onboardPartnerClient' AND OnboardingStep = 'in-review' AND CircleApplicationId = 'a1b2-c3'",
  );
  expect(() => onboardingsQuery({ applicationId: "x' OR WorkflowType != '" })).toThrow(
    /CircleApplicationId filter .* is not a keyword/,
  );
});

test('callers share only the contract with the workflow: nothing outside the workflow code imports it', () => {
  const root = join(__dirname, '../..');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const importsWorkflows = /from\s+'(\.\.\/)+(src\/)?workflows(\/[^']*)?'/;
  const offenders = ['src', 'test', 'dev']
    .flatMap((d) => files(join(root, d)))
    .filter((f) => !relative(root, f).startsWith(`src${sep}workflows${sep}`))
    .filter((f) => importsWorkflows.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  expect(offenders).toEqual([]);
});
