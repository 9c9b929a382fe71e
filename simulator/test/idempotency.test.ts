import { IdempotencyStore, fingerprint } from '../idempotency';

describe('IdempotencyStore', () => {
  const refuse = { mismatch: () => new Error('mismatch'), inProgress: () => new Error('in progress') };

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
    const first = store.run('POST /x', 'k', 'f', op, refuse);
    const second = store.run('POST /x', 'k', 'f', op, refuse);
    await expect(store.run('POST /x', 'k', 'other', op, refuse)).rejects.toThrow('mismatch');
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
      refuse,
    );
    const second = store.run(
      'POST /x',
      'k',
      'f',
      () => {
        runs++;
        return { status: 200, body: 'ok' };
      },
      refuse,
    );
    await expect(first).rejects.toThrow('boom');
    expect(await second).toEqual({ response: { status: 200, body: 'ok' }, replay: false });
    expect(runs).toBe(2);
  });

  it('does not store non-2xx results, and scopes keys per route', async () => {
    const store = new IdempotencyStore();
    await store.run('POST /x', 'k', 'f', () => ({ status: 409, body: null }), refuse);
    expect(store.size).toBe(0);
    await store.run('POST /x', 'k', 'f', () => ({ status: 200, body: 1 }), refuse);
    const other = await store.run('POST /y', 'k', 'g', () => ({ status: 200, body: 2 }), refuse);
    expect(other).toEqual({ response: { status: 200, body: 2 }, replay: false });
  });

  it('keyRetention forgets a stored key once its age reaches the retention (never a running one)', async () => {
    let clock = 1000;
    const store = new IdempotencyStore(
      { keyRetention: 100, concurrentDuplicate: 'wait', replayErrors: false },
      () => clock,
    );
    let runs = 0;
    const op = () => ({ status: 200, body: ++runs });
    await store.run('POST /x', 'k', 'f', op, refuse);
    clock += 99;
    expect((await store.run('POST /x', 'k', 'f', op, refuse)).replay).toBe(true);
    clock += 1;
    expect(store.size).toBe(0);
    expect(await store.run('POST /x', 'k', 'f', op, refuse)).toEqual({
      response: { status: 200, body: 2 },
      replay: false,
    });
  });

  it('conflict refuses a duplicate of a running request; replayErrors keeps error results', async () => {
    const store = new IdempotencyStore({
      keyRetention: null,
      concurrentDuplicate: 'conflict',
      replayErrors: true,
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = store.run(
      'POST /x',
      'k',
      'f',
      async () => {
        await gate;
        return { status: 409, body: 'taken' };
      },
      refuse,
    );
    await expect(store.run('POST /x', 'k', 'f', () => ({ status: 200, body: 'ok' }), refuse)).rejects.toThrow(
      'in progress',
    );
    release();
    expect((await first).response).toEqual({ status: 409, body: 'taken' });
    expect(await store.run('POST /x', 'k', 'f', () => ({ status: 200, body: 'ok' }), refuse)).toEqual({
      response: { status: 409, body: 'taken' },
      replay: true,
    });
    expect(store.expire()).toBe(1);
    expect(store.size).toBe(0);
  });

  it('fingerprints ignore key order but not values or paths', () => {
    expect(fingerprint('POST', '/a', { x: 1, y: [1, { b: 2, a: 1 }] })).toBe(
      fingerprint('POST', '/a', { y: [1, { a: 1, b: 2 }], x: 1 }),
    );
    expect(fingerprint('POST', '/a', { x: 1 })).not.toBe(fingerprint('POST', '/a', { x: 2 }));
    expect(fingerprint('POST', '/a', { x: 1 })).not.toBe(fingerprint('POST', '/b', { x: 1 }));
  });
});
