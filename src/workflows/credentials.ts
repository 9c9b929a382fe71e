// Rotated or revoked credentials are an operational problem, not the client's: a 401 or 403 from Circle
// or Clive shows the onboarding as blocked on credentials and tries again with a long backoff until
// `options.credentialsDeadline`, instead of failing a weeks-long onboarding at once.
import { toleratesLag } from './versions';
import { failureTypeOf, messageOf } from './failures';
import type { Onboarding } from './onboarding';
import { recordError, showStep, writeAttributes } from './visibility';
import { deadline, pause } from './waiting';

const CREDENTIAL_FAILURES = new Set([
  'CircleUnauthorized',
  'CircleForbidden',
  'CliveUnauthorized',
  'CliveForbidden',
]);
const MAX_BACKOFF_MS = 60 * 60 * 1000;

export async function withCredentials<T>(o: Onboarding, fn: () => Promise<T>): Promise<T> {
  // From a minute in production (capped by maxPollInterval, so tests with fast polls stay fast).
  let backoff = Math.min(60_000, o.options.maxPollInterval);
  let resume: Onboarding['progress']['step'] | undefined;
  // The outage is over once a call stops failing with a credentials error, whatever it ends with:
  // a later 401 must start a deadline of its own, not meet this one's (runs before `lagging-circle`
  // cleared it on success only).
  const over = () => {
    if (!resume) return;
    delete o.progress.deadlines.credentials;
    showStep(o, resume);
    resume = undefined;
  };
  for (;;) {
    try {
      const value = await fn();
      over();
      return value;
    } catch (err) {
      const type = failureTypeOf(err);
      if (!type || !CREDENTIAL_FAILURES.has(type)) {
        if (toleratesLag()) over();
        throw err;
      }
      const end = deadline(o, 'credentials', o.options.credentialsDeadline);
      const remaining = end - Date.now();
      if (remaining <= 0) throw err;
      resume ??= o.progress.step;
      recordError(o, type, messageOf(err));
      showStep(o, 'blocked-on-credentials');
      writeAttributes(o);
      await pause(o, Math.min(backoff, remaining));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}
