// The scripts' CPU meter, on this process.
import { cpuMeter } from '../proc';

test('counts the CPU a process used since it started counting, and nothing for an unknown pid', () => {
  const used = cpuMeter({ self: process.pid, unknown: undefined });
  // Spin until this process has itself used 200 ms of CPU (wall time would vary with the machine's load).
  const start = process.cpuUsage();
  let spins = 0;
  const spent = () => {
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1000;
  };
  while (spent() < 200) spins++;
  const cpu = used();
  expect(spins).toBeGreaterThan(0);
  expect(cpu.self).toBeGreaterThanOrEqual(150); // 200 ms of CPU, counted in 10 ms ticks
  expect(cpu.self).toBeLessThan(5_000);
  expect(cpu.unknown).toBeUndefined();
});
