// Array sections are upserted by `refId`: an item without one is created. A retried save (after a
// lost response) would therefore duplicate entities. Matching new items to entities already saved,
// and sending their refIds, makes the save idempotent.
import { isPlainObject } from '../shared/plain-object';

type Entity = Record<string, unknown>;

function sameFields(item: Entity, saved: Entity): boolean {
  return Object.entries(item).every(([k, v]) => JSON.stringify(saved[k]) === JSON.stringify(v));
}

/** Returns `desired` with the refId of an already-saved, identical entity on each item lacking one. */
export function withKnownRefIds(saved: unknown, desired: unknown): unknown {
  if (!Array.isArray(saved) || !Array.isArray(desired)) return desired;
  const available = saved.filter((e): e is Entity => isPlainObject(e) && typeof e.refId === 'string');
  const claimed = new Set(desired.map((d: Entity | null) => d?.refId).filter(Boolean));
  return desired.map((item: unknown) => {
    if (!isPlainObject(item) || 'refId' in item) return item;
    const match = available.find((e) => !claimed.has(e.refId) && sameFields(item, e));
    if (!match) return item;
    claimed.add(match.refId);
    return { ...item, refId: match.refId };
  });
}

/** The refIds of an array section's saved entities, in order. */
export function refIdsOf(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((e: unknown) => (isPlainObject(e) && typeof e.refId === 'string' ? [e.refId] : []));
}
