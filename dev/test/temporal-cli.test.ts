// Resolution order of the Temporal CLI binary, on temporary directories.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, resolveTemporalCli } from '../temporal-cli';

function executable(dir: string, name = 'temporal'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

const quiet = { log: () => undefined, trySdkDownload: false };
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'temporal-cli-'));
});

test('TEMPORAL_CLI_PATH wins, and a wrong one is a clear error', async () => {
  const explicit = executable(join(root, 'explicit'));
  const onPath = executable(join(root, 'bin'));
  const env = { TEMPORAL_CLI_PATH: explicit, PATH: join(root, 'bin') };
  await expect(resolveTemporalCli({ env, ...quiet })).resolves.toEqual({
    path: explicit,
    source: 'TEMPORAL_CLI_PATH',
  });
  expect(onPath).toBeTruthy();

  const missing = { TEMPORAL_CLI_PATH: join(root, 'nope'), PATH: '' };
  await expect(resolveTemporalCli({ env: missing, ...quiet })).rejects.toThrow(
    /TEMPORAL_CLI_PATH .* not an executable/,
  );
});

test('then `temporal` on PATH, then the cached build', async () => {
  const onPath = executable(join(root, 'bin'));
  const cached = executable(join(root, 'cache'));
  const env = { PATH: join(root, 'bin'), TEMPORAL_CLI_CACHE_DIR: join(root, 'cache') };
  await expect(resolveTemporalCli({ env, ...quiet })).resolves.toEqual({ path: onPath, source: 'PATH' });
  await expect(resolveTemporalCli({ env: { ...env, PATH: '' }, ...quiet })).resolves.toEqual({
    path: cached,
    source: 'cache',
  });
});

test('with nothing found and no Go toolchain, the error lists every way to fix it', async () => {
  const env = { PATH: join(root, 'empty'), TEMPORAL_CLI_CACHE_DIR: join(root, 'cache') };
  const err = await resolveTemporalCli({ env, ...quiet }).catch((e: Error) => e);
  expect((err as Error).message).toMatch(/TEMPORAL_CLI_PATH/);
  expect((err as Error).message).toMatch(/on PATH/);
  expect((err as Error).message).toMatch(/go install|Go 1\.25/);
});

test('the cache lives outside the checkout, per user, and can be moved', () => {
  expect(cacheDir({ HOME: '/home/u' })).toMatch(/temporal-cli-1\.5\.1$/);
  expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe(
    join('/x', 'circle-partner-onboarding', 'temporal-cli-1.5.1'),
  );
  expect(cacheDir({ TEMPORAL_CLI_CACHE_DIR: '/elsewhere' })).toBe('/elsewhere');
});
