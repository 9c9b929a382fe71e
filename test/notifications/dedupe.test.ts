import { createRecentMessageIds } from '../../src/notifications/dedupe';

test('claims an id once within the TTL, again after it or after a release', () => {
  let at = 0;
  const recent = createRecentMessageIds({ ttlMs: 1000, now: () => at });
  expect(recent.claim('a')).toBe(true);
  expect(recent.claim('a')).toBe(false);
  recent.release('a');
  expect(recent.claim('a')).toBe(true);
  at = 999;
  expect(recent.claim('a')).toBe(false);
  at = 1000;
  expect(recent.claim('a')).toBe(true);
});

test('forgets the oldest ids beyond its cap, and expired ones as time passes', () => {
  let at = 0;
  const recent = createRecentMessageIds({ max: 3, ttlMs: 100, now: () => at });
  for (const id of ['a', 'b', 'c', 'd']) expect(recent.claim(id)).toBe(true);
  expect(recent.size).toBe(3);
  expect(recent.claim('a')).toBe(true); // forgotten: over the cap
  expect(recent.claim('d')).toBe(false);
  at = 100;
  expect(recent.claim('e')).toBe(true);
  expect(recent.size).toBe(1);
});
