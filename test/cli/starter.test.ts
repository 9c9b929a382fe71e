// The CLI as an operator runs it: usage mistakes and bad files are refused (exit 2) before anything
// connects to Temporal, with a message that names what to fix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

function starter(...args: string[]) {
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/starter.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    // Nothing listens here: a command that tried to connect would fail with exit 1, not 2.
    env: { ...process.env, ONBOARDING_ENV: 'local', TEMPORAL_ADDRESS: '127.0.0.1:1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('help prints the usage with every command', () => {
  const { code, stdout } = starter('help');
  expect(code).toBe(0);
  for (const command of ['start', 'status', 'watch', 'answer-rfi', 'provide-sections', 'cancel', 'list']) {
    expect(stdout).toContain(`  ${command} `);
  }
});

test.each([
  [['bogus'], /unknown command "bogus"/],
  [[], /no command given/],
  [['start'], /missing --input/],
  [['start', '--input', 'x.json', '--nope'], /Unknown option '--nope'/],
  [['answer-rfi', '--workflow-id', 'w', '--rfi-id', 'r', '--data', '{not json'], /--data is not valid JSON/],
  [['answer-rfi', '--workflow-id', 'w', '--rfi-id', 'r', '--data', '[1]'], /--data must be a JSON object/],
  [
    ['provide-sections', '--workflow-id', 'w', '--data', '@missing.json'],
    /cannot read --data file missing\.json/,
  ],
  [['list', '--status', 'NOPE'], /--status must be one of DRAFT/],
])('%j is refused with exit 2', (args, message) => {
  const { code, stderr } = starter(...args);
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
  expect(stderr).toContain('usage: npm run -s starter');
});

test('an input file that breaks the contract is refused with the field named', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'input.json');
  writeFileSync(file, JSON.stringify({ client: { clientName: 'Acme', country: 'usa' } }));
  const { code, stderr } = starter('start', '--input', file);
  expect(code).toBe(2);
  expect(stderr).toMatch(
    /is not a valid onboarding input: client\.country: must be an ISO 3166-1 alpha-2 code/,
  );
});
