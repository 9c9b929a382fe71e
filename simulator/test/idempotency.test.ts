import { IdempotencyStore, fingerprint } from '../idempotency';

describe('IdempotencyStore', () => {
  const mismatch = () => new Error('mismatch');

  it('a second caller with the same key waits for the running first one and replays it', async () => {
    const store = new IdempotencyStore();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const op = async () => {
      runs++;
      await gate;
      return { status: 201, body: { n: runs } };
    };
    const first = store.run('POST /x', 'k', 'f', op, mismatch);
    const second = store.run('POST /x', 'k', 'f', op, mismatch);
    await expect(store.run('POST /x', 'k', 'other', op, mismatch)).rejects.toThrow('mismatch');
    release();
    expect(await first).toEqual({ response: { status: 201, body: { n: 1 } }, replay: false });
    expect(await second).toEqual({ response: { status: 201, body: { n: 1 } }, replay: true });
    expect(runs).toBe(1);
  });

  it('a failed first attempt is forgotten, so the waiting caller runs the operation itself', async () => {
    const store = new IdempotencyStore();
    let runs = 0;
    const first = store.run(
      'POST /x',
      'k',
      'f',
      async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('boom');
      },
      mismatch,
    );
    const second = store.run(
      'POST /x',
      'k',
      'f',
      () => {
        runs++;
        return { status: 200, body: 'ok' };
      },
      mismatch,
    );
    await expect(first).rejects.toThrow('boom');
    expect(await second).toEqual({ response: { status: 200, body: 'ok' }, replay: false });
    expect(runs).toBe(2);
  });

  it('does not store non-2xx results, and scopes keys per route', async () => {
    const store = new IdempotencyStore();
    await store.run('POST /x', 'k', 'f', () => ({ status: 409, body: null }), mismatch);
    expect(store.size).toBe(0);
    await store.run('POST /x', 'k', 'f', () => ({ status: 200, body: 1 }), mismatch);
    const other = await store.run('POST /y', 'k', 'g', () => ({ status: 200, body: 2 }), mismatch);
    expect(other).toEqual({ response: { status: 200, body: 2 }, replay: false });
  });

  it('fingerprints ignore key order but not values or paths', () => {
    expect(fingerprint('POST', '/a', { x: 1, y: [1, { b: 2, a: 1 }] })).toBe(
      fingerprint('POST', '/a', { y: [1, { a: 1, b: 2 }], x: 1 }),
    );
    expect(fingerprint('POST', '/a', { x: 1 })).not.toBe(fingerprint('POST', '/a', { x: 2 }));
    expect(fingerprint('POST', '/a', { x: 1 })).not.toBe(fingerprint('POST', '/b', { x: 1 }));
  });
});
