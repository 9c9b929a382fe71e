// Secrets held only as SHA-256 hashes (the service's API keys, the codec server's tokens). A presented
// secret is hashed and compared with every configured hash in constant time, without stopping at the
// first match, so neither the timing nor the order of the hashes tells a caller anything.
import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares the presented secret's hash with every configured hash; all of them, every time. */
export function keyMatcher<K extends { sha256: string }>(
  keys: readonly K[],
): (presented: string | undefined) => K | undefined {
  const hashes = keys.map((k) => ({ key: k, hash: Buffer.from(k.sha256, 'hex') }));
  return (presented) => {
    if (presented === undefined) return undefined;
    const hash = createHash('sha256').update(presented, 'utf8').digest();
    let found: K | undefined;
    for (const { key, hash: expected } of hashes) {
      // Both are 32 bytes (the callers' checks of the configured hashes ensure it), as timingSafeEqual needs.
      const equal = timingSafeEqual(hash, expected);
      if (equal && found === undefined) found = key;
    }
    return found;
  };
}
