// Reads the `Message` of a verified SNS notification as Circle's onboarding payload. Circle sends every
// v1 topic to the one endpoint, so anything else is expected and only ignored, never an error.
import { ONBOARDING_NOTIFICATION_TYPES, type OnboardingNotification } from './sns';
import { isPlainObject } from '../shared/plain-object';

/**
 * Circle's ids are UUIDs; anything made of these characters is accepted, and nothing else, so an id
 * can go into a visibility query between quotes with nothing to escape.
 */
const APPLICATION_ID = /^[A-Za-z0-9-]{1,64}$/;
const STATUS = /^[A-Z_]{1,64}$/;

export type ParsedPayload = { ok: true; notification: OnboardingNotification } | { ok: false; why: string };

export function parseOnboardingNotification(message: string): ParsedPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(message);
  } catch {
    return { ok: false, why: 'Message is not JSON' };
  }
  if (!isPlainObject(payload)) return { ok: false, why: 'Message is not a JSON object' };
  const p = payload;
  const type = p.notificationType;
  if (typeof type !== 'string' || !(ONBOARDING_NOTIFICATION_TYPES as readonly string[]).includes(type)) {
    // The type names no one; shown (capped) so operators can see which topics arrive.
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 64)) : 'missing';
    return { ok: false, why: `notificationType ${shown} is not an onboarding notification` };
  }
  if (p.version !== 1) return { ok: false, why: `${type}: version is not 1` };
  if (typeof p.applicationId !== 'string' || !APPLICATION_ID.test(p.applicationId)) {
    return { ok: false, why: `${type}: applicationId is missing or not an id` };
  }
  if (typeof p.status !== 'string' || !STATUS.test(p.status)) {
    return { ok: false, why: `${type}: status is missing or not a status` };
  }
  return {
    ok: true,
    notification: {
      clientId: typeof p.clientId === 'string' ? p.clientId : '',
      notificationType: type as OnboardingNotification['notificationType'],
      version: 1,
      applicationId: p.applicationId,
      status: p.status,
      previousStatus: typeof p.previousStatus === 'string' ? p.previousStatus : '',
    },
  };
}
