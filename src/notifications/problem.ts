// RFC 9457 problem details for the notification endpoint: the type names the reason, the detail says
// what was wrong in general terms and never repeats the body.
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from '../shared/problem-details';

/** Each problem type's title, by the status it is answered with. */
const TITLES_BY_STATUS = {
  400: {
    malformed: 'Not an SNS message',
    stale: 'Message timestamp out of range',
    unsupported_signature_version: 'Unsupported SNS signature version',
  },
  403: {
    bad_signature: 'Signature does not verify',
    other_topic: 'Not from an accepted topic',
    bad_cert_url: 'Untrusted signing certificate',
  },
  413: { body_too_large: 'Body too large' },
  415: { unsupported_media_type: 'Unsupported media type' },
  429: { rate_limited: 'Too many requests' },
  500: { internal: 'Internal error' },
  502: { subscription_not_confirmed: 'Subscription could not be confirmed' },
  503: {
    verification_unavailable: 'Signing certificate unavailable',
    relay_unavailable: 'Notification could not be relayed',
  },
} as const;

type TitlesByStatus = typeof TITLES_BY_STATUS;
/** The verifier's rejection reasons (the receiver sends each, so one missing here does not compile) and its own. */
export type ProblemType = { [S in keyof TitlesByStatus]: keyof TitlesByStatus[S] }[keyof TitlesByStatus];

const STATUS_AND_TITLE = new Map(
  Object.entries(TITLES_BY_STATUS).flatMap(([status, titles]) =>
    Object.entries(titles).map(([type, title]) => [type, { status: Number(status), title }] as const),
  ),
);

/** Every type this endpoint's problems have. */
export const NOTIFICATION_PROBLEM_TYPES = [...STATUS_AND_TITLE.keys()] as [ProblemType, ...ProblemType[]];

/** The service's problem shape (src/service/problems.ts), with the verifier's reason as the type. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  failureType: ProblemType;
}

export function problem(type: ProblemType, detail: string): Problem {
  const { status, title } = STATUS_AND_TITLE.get(type)!;
  return { type: problemTypeUri(type), title, status, detail, failureType: type };
}

export function sendProblem(reply: FastifyReply, type: ProblemType, detail: string): FastifyReply {
  const body = problem(type, detail);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
