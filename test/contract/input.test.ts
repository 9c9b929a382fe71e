// The input contract other services code against: what it accepts, and the field names in its errors.
import {
  describeIssues,
  MAX_SECTIONS_BYTES,
  onboardingInputSchema,
  onboardingInputSchemaWith,
  type OnboardingInput,
} from '../../src/contract';

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
  // Durations are parsed to milliseconds at the door.
  expect(parsed.options).toMatchObject({
    saveMode: 'bulk',
    reviewDeadline: 30 * 24 * 3600 * 1000,
    pollInterval: 5000,
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

describe('durations are bounded at the door', () => {
  const options = (o: Record<string, unknown>) => ({ ...valid, options: o });

  test('ISO-8601 is accepted as well as "5s" and milliseconds', () => {
    const parsed = onboardingInputSchema.parse(
      options({ pollInterval: 'PT2S', maxPollInterval: '5s', reviewDeadline: 'P1W', rfiDeadline: 'P1DT12H' }),
    );
    expect(parsed.options).toMatchObject({
      pollInterval: 2000,
      maxPollInterval: 5000,
      reviewDeadline: 7 * 24 * 3600 * 1000,
      rfiDeadline: 36 * 3600 * 1000,
    });
  });

  test.each([
    [{ reviewDeadline: '1000000 years' }, 'options.reviewDeadline: must be between 1 second and 365 days'],
    [{ pollInterval: '100 years' }, 'options.pollInterval: must be between 1 second and 1 day'],
    [{ pollInterval: 50 }, 'options.pollInterval: must be between 1 second and 1 day'],
    [{ maxPollInterval: 'P2D' }, 'options.maxPollInterval: must be between 1 second and 1 day'],
    [
      { pollInterval: '1 minute', maxPollInterval: '10 seconds' },
      'pollInterval must not exceed maxPollInterval',
    ],
    [{ rfiDeadline: 'P1Y' }, 'options.rfiDeadline: must be a duration'],
    [{ rfiDeadline: 'PT' }, 'options.rfiDeadline: must be a duration'],
  ])('%j is refused: %s', (opts, message) => {
    expect(problems(options(opts))).toContain(message);
  });

  test('a worker pointed at the simulator may allow faster polls', () => {
    const fast = onboardingInputSchemaWith({ minPollIntervalMs: 10 });
    expect(fast.parse(options({ pollInterval: 50, maxPollInterval: 200 })).options.pollInterval).toBe(50);
  });
});

test('section data over the size limit is refused with the limit named', () => {
  const big = { basicBusinessInfo: { note: 'x'.repeat(MAX_SECTIONS_BYTES) } };
  expect(problems({ ...valid, sections: big })).toContain('sections: must be at most 512 KiB as JSON');
});
