// The business-key rule: one workflow id per Circle client, with no client name visible in it.
import { onboardingWorkflowId } from '../../src/contract';

const client = { clientName: 'Acme Trust Co.', country: 'US' };

test('the default workflow id is a business key without the client name in it', () => {
  const id = onboardingWorkflowId(client);
  expect(id).toMatch(/^onboarding-US-[0-9a-f]{20}$/);
  expect(id).not.toContain('Acme');
  expect(onboardingWorkflowId({ clientName: '  acme   TRUST co. ', country: 'US' })).toBe(id);
  expect(onboardingWorkflowId({ clientName: 'Acme Trust Co.', country: 'GB' })).not.toBe(id);
});
