// What production refuses whatever the addresses, and what local allows only against the simulator on
// loopback: rules across subsystems, reported together, each named by its variable.
import { LOCAL_ID_KEY } from '../contract/workflow';
import type { Environment } from './environment';
import { SIMULATOR_SECRETS } from './partners';
import { isLoopback } from './variables';

/** The variables these rules read, as the subsystems' schemas parsed them. */
export interface SecurityVariables {
  ONBOARDING_ENV: Environment;
  PAYLOAD_ENCRYPTION_KEYS?: string;
  ALLOW_UNENCRYPTED_PAYLOADS: 'true' | 'false';
  CIRCLE_API_BASE_URL: string;
  CIRCLE_API_KEY: string;
  CLIVE_API_BASE_URL: string;
  CLIVE_API_KEY: string;
  CLIVE_HMAC_SECRET: string;
  ONBOARDING_MIN_POLL_INTERVAL_MS: number;
  ONBOARDING_ID_KEY: string;
  CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: string;
}

/** ONBOARDING_ENV=local with Circle on loopback: where the simulator's public defaults are fine. */
function againstLocalSimulator(e: SecurityVariables): boolean {
  return e.ONBOARDING_ENV === 'local' && isLoopback(e.CIRCLE_API_BASE_URL);
}

/** `env`: the raw environment, for the document store's variables (documents/store-env.ts parses them). */
export function securityProblems(e: SecurityVariables, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const production = e.ONBOARDING_ENV === 'production';
  if (production && !e.PAYLOAD_ENCRYPTION_KEYS && e.ALLOW_UNENCRYPTED_PAYLOADS !== 'true') {
    problems.push(
      'PAYLOAD_ENCRYPTION_KEYS: required with ONBOARDING_ENV=production; set ALLOW_UNENCRYPTED_PAYLOADS=true to store business data in plaintext knowingly',
    );
  }
  const secrets: [keyof typeof SIMULATOR_SECRETS, 'CIRCLE_API_BASE_URL' | 'CLIVE_API_BASE_URL'][] = [
    ['CIRCLE_API_KEY', 'CIRCLE_API_BASE_URL'],
    ['CLIVE_API_KEY', 'CLIVE_API_BASE_URL'],
    ['CLIVE_HMAC_SECRET', 'CLIVE_API_BASE_URL'],
  ];
  for (const [name, url] of secrets) {
    if (e[name] !== SIMULATOR_SECRETS[name]) continue;
    if (production) {
      problems.push(
        `${name}: must be set (the default is the local simulator's, refused with ONBOARDING_ENV=production)`,
      );
    } else if (!isLoopback(e[url])) {
      problems.push(
        `${name}: must be set (the default is the local simulator's, and ${url} is not loopback)`,
      );
    }
  }
  if (e.ONBOARDING_MIN_POLL_INTERVAL_MS < 1000 && !againstLocalSimulator(e)) {
    problems.push(
      'ONBOARDING_MIN_POLL_INTERVAL_MS: may be below 1000 only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator (localhost or 127.0.0.1)',
    );
  }
  if (e.CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS !== '' && !againstLocalSimulator(e)) {
    problems.push(
      'CIRCLE_NOTIFICATIONS_TRUSTED_CERT_ORIGINS: may be set only with ONBOARDING_ENV=local while CIRCLE_API_BASE_URL is a local simulator: notifications from Circle are signed with certificates from SNS hosts',
    );
  }
  if (e.ONBOARDING_ID_KEY === LOCAL_ID_KEY && !againstLocalSimulator(e)) {
    problems.push(
      'ONBOARDING_ID_KEY: must be set to a secret (16+ characters, shared by every service that starts onboardings): the default is public, accepted only with ONBOARDING_ENV=local against a local simulator',
    );
  }
  const urlSources = env.DOCUMENT_URLS?.trim().toLowerCase() !== 'off';
  const hosts = (env.DOCUMENT_URL_HOSTS ?? '').split(',').filter((h) => h.trim() !== '');
  if (production && urlSources && hosts.length === 0) {
    problems.push(
      'DOCUMENT_URL_HOSTS: required with ONBOARDING_ENV=production while document URL sources are on (the hosts documents may be downloaded from; or DOCUMENT_URLS=off)',
    );
  }
  return problems;
}

/** Said loudly at start-up: production running with plaintext payloads (allowed explicitly). */
export function plaintextWarning(e: SecurityVariables): string | undefined {
  if (e.ONBOARDING_ENV !== 'production' || e.PAYLOAD_ENCRYPTION_KEYS) return undefined;
  return '!!! ALLOW_UNENCRYPTED_PAYLOADS=true: payloads, failure messages and stack traces (business and personal data) are stored in Temporal in PLAINTEXT !!!';
}
