// Resolution of the time-skipping test server, on temporary directories (no java or mvn needed).
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTimeSkippingServer } from '../temporal-test-server';

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

const log = () => undefined;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'temporal-test-server-'));
});

test('TEMPORAL_TEST_SERVER_PATH wins, and a wrong one is a clear error', async () => {
  const explicit = executable(join(root, 'explicit'), 'server');
  await expect(
    resolveTimeSkippingServer({ env: { TEMPORAL_TEST_SERVER_PATH: explicit, PATH: '' }, log }),
  ).resolves.toEqual({ path: explicit });

  const missing = { TEMPORAL_TEST_SERVER_PATH: join(root, 'nope'), PATH: '' };
  await expect(resolveTimeSkippingServer({ env: missing, log })).rejects.toThrow(
    /TEMPORAL_TEST_SERVER_PATH .* not an executable/,
  );
});

test('a cached wrapper is used as it is, without java or mvn', async () => {
  const cache = join(root, 'cache');
  const wrapper = executable(cache, 'temporal-test-server');
  const env = { TEMPORAL_TEST_SERVER_CACHE_DIR: cache, PATH: '' };
  await expect(resolveTimeSkippingServer({ env, log })).resolves.toEqual({ path: wrapper });
});

test('without a cache, a missing java is named with the fixes', async () => {
  const env = { TEMPORAL_TEST_SERVER_CACHE_DIR: join(root, 'cache'), PATH: '' };
  await expect(resolveTimeSkippingServer({ env, log })).rejects.toThrow(
    /java not found: install a JDK 11\+.*TEMPORAL_TEST_SERVER_PATH/,
  );
});
