// DocumentStoreOptions from the environment, checked at start-up: every bad value is reported at once,
// named by its variable, in the format of src/config/.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { normalizeHostPattern } from './allowed-hosts';
import type { DocumentStoreOptions } from './store';

/**
 * `local`: ONBOARDING_ENV=local (src/config/). There, URL sources need no allow
 * list and DOCUMENT_URLS_ALLOW_LOOPBACK may be set; elsewhere a URL source needs DOCUMENT_URL_HOSTS.
 */
export function storeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  { local = false }: { local?: boolean } = {},
): DocumentStoreOptions {
  const problems: string[] = [];
  const options: DocumentStoreOptions = {};

  const dir = env.DOCUMENT_STORE_DIR;
  if (dir) {
    const resolved = path.resolve(dir);
    const stat = statSync(resolved, { throwIfNoEntry: false });
    if (!stat) problems.push(`DOCUMENT_STORE_DIR: ${resolved} does not exist`);
    else if (!stat.isDirectory()) problems.push(`DOCUMENT_STORE_DIR: ${resolved} is not a directory`);
    else options.dir = resolved;
  }

  const urls = env.DOCUMENT_URLS?.trim().toLowerCase();
  if (urls && urls !== 'on' && urls !== 'off') {
    problems.push(`DOCUMENT_URLS: must be "on" or "off", got ${JSON.stringify(env.DOCUMENT_URLS)}`);
  }
  options.urls = { enabled: urls !== 'off' };

  const hosts = env.DOCUMENT_URL_HOSTS?.split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hosts?.length) {
    const bad = hosts.filter((h) => normalizeHostPattern(h) === undefined);
    if (bad.length) {
      problems.push(
        `DOCUMENT_URL_HOSTS: not host names (no scheme, port or path; *.example.com for subdomains): ${bad.join(', ')}`,
      );
    } else options.urls.allowedHosts = hosts;
  } else if (local) options.urls.anyHost = true;

  const loopback = env.DOCUMENT_URLS_ALLOW_LOOPBACK?.trim().toLowerCase();
  if (loopback && loopback !== 'true' && loopback !== 'false') {
    problems.push(
      `DOCUMENT_URLS_ALLOW_LOOPBACK: must be "true" or "false", got ${JSON.stringify(env.DOCUMENT_URLS_ALLOW_LOOPBACK)}`,
    );
  } else if (loopback === 'true') {
    if (local) options.urls.allowLoopback = true;
    else {
      problems.push('DOCUMENT_URLS_ALLOW_LOOPBACK: may be true only with ONBOARDING_ENV=local');
    }
  }

  const max = env.DOCUMENT_MAX_BYTES?.trim();
  if (max) {
    const n = Number(max);
    if (!/^\d+$/.test(max) || !Number.isSafeInteger(n) || n === 0) {
      problems.push(
        `DOCUMENT_MAX_BYTES: must be a positive whole number of bytes, got ${JSON.stringify(max)}`,
      );
    } else options.maxBytes = n;
  }

  if (problems.length) {
    throw new Error(
      `Invalid configuration in environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  return options;
}
