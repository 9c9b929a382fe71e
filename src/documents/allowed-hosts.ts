// The host allow list for URL sources: exact host names (or IPs), or `*.example.com` for any subdomain.
// Entries are normalised the way URL normalises hosts (lower case, punycode), so the two compare equal.

/** The normalised entry, or undefined when it is not a bare host name (no scheme, port, path). */
export function normalizeHostPattern(entry: string): string | undefined {
  const e = entry.trim().toLowerCase();
  const wildcard = e.startsWith('*.');
  const host = wildcard ? e.slice(2) : e;
  if (host === '' || !URL.canParse(`https://${host}/`)) return undefined;
  const url = new URL(`https://${host}/`);
  const bare = url.port === '' && url.username === '' && url.pathname === '/' && !url.search && !url.hash;
  if (!bare || url.hostname === '') return undefined;
  return (wildcard ? '*.' : '') + withoutTrailingDot(url.hostname);
}

/** True when `hostname` (as `URL.hostname` gives it) matches one of the normalised patterns. */
export function hostAllowed(patterns: readonly string[], hostname: string): boolean {
  const host = withoutTrailingDot(hostname.toLowerCase());
  return patterns.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p));
}

const withoutTrailingDot = (host: string): string => (host.endsWith('.') ? host.slice(0, -1) : host);
