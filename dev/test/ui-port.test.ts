// The demo's Web UI port: 8233, or the next free one after it.
import { createServer, type Server } from 'node:net';
import { firstFreePortFrom, freePort, portIsFree } from '../local-tools';

test('the preferred port when it is free, else the next free one, else none within the tries', async () => {
  const taken = new Set([8233, 8234]);
  const isFree = async (port: number) => !taken.has(port);
  expect(await firstFreePortFrom(8240, isFree)).toBe(8240);
  expect(await firstFreePortFrom(8233, isFree)).toBe(8235);
  expect(await firstFreePortFrom(8233, isFree, 2)).toBeUndefined();
  expect(await firstFreePortFrom(65_535, async () => false)).toBeUndefined();
});

test('a port something listens on is not free; the next one is taken instead', async () => {
  const port = await freePort();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    expect(await portIsFree(port)).toBe(false);
    const chosen = await firstFreePortFrom(port);
    expect(chosen).toBeGreaterThan(port);
    expect(await portIsFree(chosen!)).toBe(true);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  expect(await portIsFree(port)).toBe(true);
});
