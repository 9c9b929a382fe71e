// The scripts' worker processes run compiled: the copy runs under plain node and behaves as the source.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compiledEntry, compiledSources } from '../compiled-entry';
import { cachedWorkflowsFor, heapLimitFor } from '../../src/temporal/memory-budget';

test('compiles an entry once, and the copy runs under plain node with the same results', () => {
  const entry = compiledEntry(require.resolve('../../src/temporal/memory-budget'));
  expect(entry.startsWith(compiledSources())).toBe(true);
  expect(entry.endsWith('src/temporal/memory-budget.js')).toBe(true);
  expect(existsSync(entry)).toBe(true);
  expect(compiledEntry(require.resolve('../../src/temporal/memory-budget'))).toBe(entry);

  const script = `const m = require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify([m.cachedWorkflowsFor(512), m.heapLimitFor(512), process.execArgv.filter((a) => a.startsWith('--'))]))`;
  const out = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  expect(JSON.parse(out)).toEqual([cachedWorkflowsFor(512), heapLimitFor(512), []]);
});

test('a JavaScript entry is used as it is; a source outside the project is refused, by name', () => {
  expect(compiledEntry('/opt/app/lib/worker.js')).toBe('/opt/app/lib/worker.js');
  expect(() => compiledEntry('/opt/elsewhere/worker.ts')).toThrow(
    /worker\.ts is outside src, dev, simulator/,
  );
});
