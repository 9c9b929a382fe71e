export default async function globalTeardown(): Promise<void> {
  await globalThis.__TEMPORAL_ENV__?.teardown();
  globalThis.__TEMPORAL_ENV__ = undefined;
}
