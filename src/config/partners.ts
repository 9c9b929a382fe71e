// The partners' APIs: where Circle and Clive are, their credentials, and how fast one worker calls them.
import { z } from 'zod';
import type { PaceOptions } from '../partner-api/pacer';
import { positiveInteger } from './variables';

/** The simulator's credentials: public, so refused in production (and in local against a remote URL). */
export const SIMULATOR_SECRETS = {
  CIRCLE_API_KEY: 'TEST_API_KEY:local:simulator',
  CLIVE_API_KEY: 'cp_test_partner_local',
  CLIVE_HMAC_SECRET: 'local-hmac-secret',
} as const;

export const partnerVariables = z.object({
  CIRCLE_API_BASE_URL: z.url().default('http://127.0.0.1:4010'),
  CIRCLE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CIRCLE_API_KEY),
  CIRCLE_HTTP_TIMEOUT_MS: positiveInteger(15_000),
  CLIVE_API_BASE_URL: z.url().default('http://127.0.0.1:4010/api/v1'),
  CLIVE_API_KEY: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_API_KEY),
  CLIVE_HMAC_SECRET: z.string().min(1).default(SIMULATOR_SECRETS.CLIVE_HMAC_SECRET),
  /** Requests per second one worker sends to Circle (Clive), and the burst it may send at once. */
  CIRCLE_REQUESTS_PER_SECOND: z.coerce.number().positive().optional(),
  CIRCLE_REQUEST_BURST: z.coerce.number().int().positive().optional(),
  CLIVE_REQUESTS_PER_SECOND: z.coerce.number().positive().optional(),
  CLIVE_REQUEST_BURST: z.coerce.number().int().positive().optional(),
});

export interface PartnerSettings {
  circle: { baseUrl: string; apiKey: string; timeoutMs: number; pace: PaceOptions };
  clive: { baseUrl: string; apiKey: string; hmacSecret: string; pace: PaceOptions };
}

export function partnerSettings(e: z.infer<typeof partnerVariables>): PartnerSettings {
  return {
    circle: {
      baseUrl: e.CIRCLE_API_BASE_URL,
      apiKey: e.CIRCLE_API_KEY,
      timeoutMs: e.CIRCLE_HTTP_TIMEOUT_MS,
      pace: { requestsPerSecond: e.CIRCLE_REQUESTS_PER_SECOND, burst: e.CIRCLE_REQUEST_BURST },
    },
    clive: {
      baseUrl: e.CLIVE_API_BASE_URL,
      apiKey: e.CLIVE_API_KEY,
      hmacSecret: e.CLIVE_HMAC_SECRET,
      pace: { requestsPerSecond: e.CLIVE_REQUESTS_PER_SECOND, burst: e.CLIVE_REQUEST_BURST },
    },
  };
}
