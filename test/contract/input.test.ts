// The input contract other services code against: what it accepts, and the field names in its errors.
import { describeIssues, onboardingInputSchema, type OnboardingInput } from '../../src/contract';

const valid: OnboardingInput = {
  client: {
    clientName: 'Acme Trust Co.',
    country: 'US',
    clientType: 'business',
    businessDetails: { natureOfBusiness: 'trust', institutionType: 'trust' },
  },
  submission: { endUserAgreesToTermsOfService: true, endUserIpAddress: '2001:db8::1' },
  account: { description: 'Acme custody' },
};

const problems = (input: unknown) => {
  const parsed = onboardingInputSchema.safeParse(input);
  return parsed.success ? '' : describeIssues(parsed.error);
};

test('a minimal input is valid and gets production defaults', () => {
  const parsed = onboardingInputSchema.parse(valid);
  expect(parsed.sections).toEqual({});
  expect(parsed.adoptExistingClient).toBe(false);
  expect(parsed.options).toMatchObject({
    saveMode: 'bulk',
    reviewDeadline: '30 days',
    pollInterval: '5 seconds',
  });
});

test.each([
  [{ ...valid, client: { ...valid.client, country: 'us' } }, 'client.country'],
  [
    {
      ...valid,
      client: { ...valid.client, businessDetails: { natureOfBusiness: 'bank', institutionType: 'trust' } },
    },
    'client.businessDetails.natureOfBusiness',
  ],
  [{ ...valid, client: { ...valid.client, clientType: 'individual' } }, 'client.clientType'],
  [
    { ...valid, submission: { ...valid.submission, endUserIpAddress: 'localhost' } },
    'submission.endUserIpAddress',
  ],
  [{ ...valid, account: { description: '' } }, 'account.description'],
  [{ ...valid, options: { reviewDeadline: 'forever' } }, 'options.reviewDeadline'],
  [{ ...valid, sections: { basicBusinessInfo: 'text' } }, 'sections.basicBusinessInfo'],
  [{ ...valid, clive: { clientId: 'ab', legalName: 'Acme' } }, 'clive.clientId'],
  [{ ...valid, unexpected: true }, 'unexpected'],
])('a bad field is named in the error (%#: %s)', (input, field) => {
  expect(problems(input)).toContain(field);
});
