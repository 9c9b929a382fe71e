// The scripts' CPU meter, on this process.
import { cpuMeter } from '../proc';

test('counts the CPU a process used since it started counting, and nothing for an unknown pid', () => {
  const used = cpuMeter({ self: process.pid, unknown: undefined });
  const until = Date.now() + 200;
  let spins = 0;
  while (Date.now() < until) spins++;
  const cpu = used();
  expect(spins).toBeGreaterThan(0);
  expect(cpu.self).toBeGreaterThanOrEqual(100); // 200 ms of spinning, in 10 ms ticks
  expect(cpu.self).toBeLessThan(5_000);
  expect(cpu.unknown).toBeUndefined();
});
