import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '../../src/observability/logging';

function capture(format: 'json' | 'text', level: 'INFO' | 'DEBUG' = 'INFO') {
  const lines: string[] = [];
  const logger = createLogger(format, level, (chunk) => lines.push(...chunk.split('\n').filter(Boolean)));
  return { logger, lines };
}

const PERSONAL = {
  input: { client: { clientName: 'Jane Doe Holdings' }, sections: { director: { firstName: 'Jane' } } },
  args: ['Jane Doe Holdings'],
  payload: { metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: new Uint8Array([1, 2, 3]) },
  result: new Uint8Array(Buffer.from('passport.pdf')),
};

test('JSON: one valid object per line, with time, level, message and scalar metadata', () => {
  const { logger, lines } = capture('json');
  logger.info('Activity completed', {
    workflowId: 'onboarding-US-abc',
    activityType: 'createClient',
    attempt: 2,
    isLocal: false,
    durationMs: 12.5,
  });
  logger.warn('second\nline stays in one JSON line');
  logger.debug('below the level: not printed');
  expect(lines).toHaveLength(2);
  const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(first).toEqual({
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    level: 'INFO',
    message: 'Activity completed',
    workflowId: 'onboarding-US-abc',
    activityType: 'createClient',
    attempt: 2,
    isLocal: false,
    durationMs: 12.5,
  });
  expect(second).toMatchObject({ level: 'WARN', message: 'second\nline stays in one JSON line' });
});

test('never a payload: objects, arrays and bytes in the metadata are left out', () => {
  for (const format of ['json', 'text'] as const) {
    const { logger, lines } = capture(format);
    logger.info('Workflow started', { workflowId: 'onboarding-US-abc', ...PERSONAL });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toContain('onboarding-US-abc');
    for (const secret of ['Jane', 'passport', 'anNvbi9wbGFpbg', 'sections', 'payload']) {
      expect(line).not.toContain(secret);
    }
    if (format === 'json')
      expect(Object.keys(JSON.parse(line) as object).sort()).toEqual([
        'level',
        'message',
        'time',
        'workflowId',
      ]);
  }
});

test('errors keep their name, type and message, never their details', () => {
  const { logger, lines } = capture('json');
  const failure = ApplicationFailure.create({
    type: 'CircleValidationFailed',
    message: 'circle saveSections failed with HTTP 422',
    details: [{ fieldErrors: [{ path: 'director.firstName', message: 'Jane is not allowed' }] }],
  });
  logger.warn('Activity failed', { error: failure, activityType: 'saveSections' });
  const entry = JSON.parse(lines[0]!) as { error: Record<string, unknown> };
  expect(entry.error).toMatchObject({
    name: 'ApplicationFailure',
    type: 'CircleValidationFailed',
    message: 'circle saveSections failed with HTTP 422',
  });
  expect(lines[0]).not.toContain('Jane');
});

test('text: one readable line', () => {
  const { logger, lines } = capture('text');
  logger.info('worker stopped', { taskQueue: 'circle-onboarding' });
  expect(lines).toEqual([
    expect.stringMatching(/^\S+Z \[INFO\] worker stopped \{"taskQueue":"circle-onboarding"\}$/),
  ]);
});
