// RFC 9457 problem details for the notification endpoint: the type names the reason, the detail says
// what was wrong in general terms and never repeats the body.
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from '../service/problems';
import type { RejectionReason } from './rejection';

export type ProblemType =
  | RejectionReason
  | 'verification_unavailable'
  | 'subscription_not_confirmed'
  | 'relay_unavailable'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal';

const STATUS_AND_TITLE: Record<ProblemType, [number, string]> = {
  malformed: [400, 'Not an SNS message'],
  stale: [400, 'Message timestamp out of range'],
  unsupported_signature_version: [400, 'Unsupported SNS signature version'],
  bad_signature: [403, 'Signature does not verify'],
  other_topic: [403, 'Not from an accepted topic'],
  bad_cert_url: [403, 'Untrusted signing certificate'],
  body_too_large: [413, 'Body too large'],
  unsupported_media_type: [415, 'Unsupported media type'],
  rate_limited: [429, 'Too many requests'],
  internal: [500, 'Internal error'],
  subscription_not_confirmed: [502, 'Subscription could not be confirmed'],
  verification_unavailable: [503, 'Signing certificate unavailable'],
  relay_unavailable: [503, 'Notification could not be relayed'],
};

/** Every type this endpoint's problems have. */
export const NOTIFICATION_PROBLEM_TYPES = Object.keys(STATUS_AND_TITLE) as [ProblemType, ...ProblemType[]];

/** The service's problem shape (src/service/problems.ts), with the verifier's reason as the type. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  failureType: ProblemType;
}

export function problem(type: ProblemType, detail: string): Problem {
  const [status, title] = STATUS_AND_TITLE[type];
  return { type: problemTypeUri(type), title, status, detail, failureType: type };
}

export function sendProblem(reply: FastifyReply, type: ProblemType, detail: string): FastifyReply {
  const body = problem(type, detail);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
