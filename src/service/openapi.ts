// The service's OpenAPI 3.1 document: the workflow input and section data come from the zod contract
// (z.toJSONSchema, as schemas/onboarding-input.schema.json does), the rest are small hand-written
// schemas of the other bodies and the problem type. Served at /openapi.json; written to
// schemas/onboarding-service.openapi.json by `npm run schemas` (a test fails when that file is stale).
import { APPLICATION_STATUSES } from '../circle/enums';
import { onboardingInputJsonSchema } from '../contract/json-schema';
import { ONBOARDING_STEP_NAMES } from '../contract/progress';
import { PAGE_TOKEN } from './routes/read';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });

function withoutDialect(schema: Json): Json {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function inputSchemas(): Record<string, Json> {
  return { OnboardingInput: withoutDialect(onboardingInputJsonSchema()) };
}

const FIELD_ERROR: Json = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'Dot path of the field, e.g. `client.country`.' },
    error: { type: 'string', description: 'A code, e.g. `required`, `invalid_value`.' },
    message: { type: 'string' },
  },
  required: ['path', 'error', 'message'],
};

const PROBLEM: Json = {
  type: 'object',
  description:
    'RFC 9457 problem details. `type` is `urn:circle-onboarding:problem:<failureType>`; branch on `failureType`.',
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    failureType: {
      type: 'string',
      description:
        'A stable type: the README failure types (InvalidOnboardingInput, RfiAnswerRejected, OnboardingInputConflict, ...) or the service’s own (InvalidRequest, BodyTooDeep, Unauthorized, Forbidden, OnboardingNotFound, NotFound, MethodNotAllowed, PayloadTooLarge, UploadQuotaPerOnboardingExceeded, UriTooLong, UnsupportedMediaType, RateLimited, UploadQuotaPerKeyExceeded, DocumentStoreNotConfigured, TemporalUnavailable, ...).',
    },
    errors: { type: 'array', items: ref('FieldError') },
  },
  required: ['type', 'title', 'status', 'detail', 'instance', 'failureType'],
};

/** The fields of a document reference, as documentReferenceProblems (src/contract/documents.ts) checks them. */
const REFERENCE_FIELDS: Record<string, Json> = {
  datumName: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$' },
  refId: { type: 'string', format: 'uuid' },
  entityIndex: { type: 'integer', minimum: 0, maximum: 99 },
  documentType: { type: 'string', pattern: '^[A-Za-z]{1,64}$' },
  issuedCountry: { type: 'string', pattern: '^[A-Z]{2}$' },
};

const LINKS: Json = {
  type: 'object',
  properties: { self: { type: 'string' } },
  required: ['self'],
};

const SCHEMAS: Record<string, Json> = {
  FieldError: FIELD_ERROR,
  Problem: PROBLEM,
  StartAccepted: {
    type: 'object',
    properties: { id: { type: 'string' }, links: LINKS },
    required: ['id', 'links'],
  },
  CancelAccepted: {
    type: 'object',
    properties: { id: { type: 'string' }, cancelRequested: { const: true }, links: LINKS },
    required: ['id', 'cancelRequested', 'links'],
  },
  Onboarding: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: {
        type: 'string',
        description: 'Temporal execution status',
        enum: ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'],
      },
      progress: {
        type: 'object',
        description:
          'The `progress` query (OnboardingProgress in src/contract/progress.ts); absent while no worker answers.',
        properties: { step: { type: 'string', enum: [...ONBOARDING_STEP_NAMES] } },
        additionalProperties: true,
      },
      result: {
        type: 'object',
        description: 'OnboardingResult (src/contract/progress.ts), once COMPLETED.',
        additionalProperties: true,
      },
      failure: {
        type: 'object',
        properties: { type: { type: 'string' }, message: { type: 'string' } },
        required: ['type', 'message'],
      },
    },
    required: ['id', 'status'],
  },
  OnboardingList: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string' },
            step: { type: 'string' },
            applicationStatus: { type: 'string' },
            applicationId: { type: 'string' },
            country: { type: 'string' },
            startTime: { type: 'string', format: 'date-time' },
            links: LINKS,
          },
          required: ['id', 'status', 'links'],
        },
      },
      nextPageToken: { type: 'string', description: 'Pass as `pageToken` for the next page.' },
    },
    required: ['items'],
  },
  RfiAnswerRequest: {
    oneOf: [
      {
        type: 'object',
        properties: {
          answer: {
            type: 'object',
            minProperties: 1,
            description: 'The value(s) Circle asked for, keyed by the RFI’s field name.',
          },
        },
        required: ['answer'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: {
          document: {
            type: 'object',
            description:
              'For a COLLECT_DOCUMENT RFI: a document reference (`datumName` defaults to the RFI’s field).',
            properties: {
              ...REFERENCE_FIELDS,
              fileName: { type: 'string', minLength: 1 },
              source: {
                type: 'string',
                minLength: 1,
                description:
                  'A path relative to the document store (not into another onboarding’s uploads) or an https:// URL',
              },
            },
            required: ['source'],
            additionalProperties: false,
            not: { required: ['refId', 'entityIndex'] },
          },
        },
        required: ['document'],
        additionalProperties: false,
      },
    ],
  },
  RfiAnswerResult: {
    type: 'object',
    properties: { rfiId: { type: 'string' }, status: { const: 'answered' } },
    required: ['rfiId', 'status'],
  },
  SectionsRequest: {
    type: 'object',
    properties: {
      sections: {
        type: 'object',
        description: 'Section name -> its data (object, or array of entities); `null` drops a section.',
        minProperties: 1,
        propertyNames: { minLength: 1 },
        additionalProperties: {
          anyOf: [{ type: 'null' }, { type: 'object' }, { type: 'array', items: { type: 'object' } }],
        },
      },
    },
    required: ['sections'],
    additionalProperties: false,
  },
  SectionDataResult: {
    type: 'object',
    properties: {
      version: { type: 'integer' },
      sectionErrors: { type: 'array', items: ref('FieldError') },
      sections: { type: 'array', items: { type: 'object' } },
    },
    required: ['version', 'sectionErrors', 'sections'],
  },
  DocumentsResult: {
    type: 'object',
    properties: {
      version: { type: 'integer' },
      documentErrors: { type: 'array', items: ref('FieldError') },
      missingDocuments: { type: 'array', items: { type: 'object' } },
      documents: { type: 'array', items: { type: 'object' } },
    },
    required: ['version', 'documentErrors', 'missingDocuments', 'documents'],
  },
  DocumentUpload: {
    type: 'object',
    description: 'One file and the fields of its document reference (see DocumentReference).',
    properties: {
      file: { type: 'string', contentMediaType: 'application/octet-stream', minLength: 1 },
      ...REFERENCE_FIELDS,
      fileName: { type: 'string', description: 'Default: the uploaded file’s name.' },
    },
    required: ['file', 'datumName'],
    not: { required: ['refId', 'entityIndex'] },
  },
  Health: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
  SnsMessage: {
    type: 'object',
    description:
      'An Amazon SNS HTTP(S) delivery of Circle’s v1 notifications (sent as text/plain). Verified before anything is done: the one configured topic (CIRCLE_NOTIFICATIONS_TOPIC_ARN), at most an hour old, signed with a certificate from https://sns.<the topic’s region>.amazonaws.com/…pem.',
    properties: {
      Type: { type: 'string', enum: ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] },
      MessageId: { type: 'string' },
      TopicArn: { type: 'string' },
      Subject: { type: 'string' },
      Message: { type: 'string', description: 'For notifications, Circle’s flat onboarding payload as JSON' },
      Timestamp: { type: 'string', format: 'date-time' },
      SignatureVersion: { type: 'string', enum: ['1', '2'] },
      Signature: { type: 'string', contentEncoding: 'base64' },
      SigningCertURL: { type: 'string', format: 'uri' },
      SubscribeURL: { type: 'string', format: 'uri' },
      UnsubscribeURL: { type: 'string', format: 'uri' },
      Token: { type: 'string' },
    },
    required: [
      'Type',
      'MessageId',
      'TopicArn',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ],
  },
  NotificationProblem: {
    type: 'object',
    description:
      'RFC 9457 problem details of the notification endpoint. `type` is `urn:circle-onboarding:problem:<failureType>`.',
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      failureType: {
        type: 'string',
        enum: [
          'malformed',
          'stale',
          'unsupported_signature_version',
          'bad_signature',
          'other_topic',
          'bad_cert_url',
          'body_too_large',
          'unsupported_media_type',
          'rate_limited',
          'internal',
          'subscription_not_confirmed',
          'verification_unavailable',
          'relay_unavailable',
        ],
      },
    },
    required: ['type', 'title', 'status', 'detail', 'failureType'],
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const notificationProblem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('NotificationProblem') } },
});

const PROBLEMS = {
  400: problem(
    'Invalid request (InvalidRequest, BodyTooDeep: JSON nested deeper than 32 levels, or the refusal type of the message), with per-field errors',
  ),
  401: problem('No or unknown API key (Unauthorized); see WWW-Authenticate'),
  403: problem('The API key may read only (Forbidden)'),
  404: problem('Unknown onboarding (OnboardingNotFound)'),
  409: problem('The onboarding has ended (OnboardingNotReady)'),
  413: problem('The body is over the limit (PayloadTooLarge)'),
  414: problem('A path segment is longer than any id (UriTooLong)'),
  415: problem('Unsupported Content-Type (UnsupportedMediaType)'),
  422: problem(
    'The onboarding refused the message; failureType is the refusal type, errors its per-field errors',
  ),
  429: problem('Rate limited (RateLimited); see Retry-After'),
  503: problem('Temporal is unavailable (TemporalUnavailable)'),
  504: problem('Temporal or the onboarding did not answer in time (TemporalTimeout)'),
};
type ProblemStatus = keyof typeof PROBLEMS;
const problems = (...statuses: ProblemStatus[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), PROBLEMS[s]]));

const READ = [401, 429, 503] as const;
const WRITE = [400, 401, 403, 413, 415, 429, 503] as const;
/** Routes with an id in the path: a segment beyond what the router takes is 414. */
const BY_ID = [404, 414] as const;

const idParam = { $ref: '#/components/parameters/OnboardingId' };
const messageKey = { $ref: '#/components/parameters/MessageIdempotencyKey' };

/** A fresh copy each time: callers (validators dereferencing in place) may mutate it. */
export function buildOpenApiDocument(): Json {
  return structuredClone(openApiDocument());
}

function openApiDocument(): Json {
  const message = (
    operationId: string,
    summary: string,
    requestSchema: string,
    resultSchema: string,
    extra: Json = {},
  ) => ({
    operationId,
    summary,
    tags: ['messages'],
    parameters: [idParam, messageKey],
    requestBody: { required: true, content: json(ref(requestSchema)) },
    responses: {
      200: { description: 'The update’s result', content: json(ref(resultSchema)) },
      ...problems(...WRITE, ...BY_ID, 409, 422, 504),
    },
    ...extra,
  });

  return {
    openapi: '3.1.0',
    info: {
      title: 'Circle partner onboarding service',
      version: '1.0.0',
      description:
        'Starts onboardings of business clients with Circle and sends them messages (RFI answers, section data, documents). Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/', description: 'The service that serves this document' }],
    tags: [{ name: 'onboardings' }, { name: 'messages' }, { name: 'notifications' }, { name: 'operations' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    paths: {
      '/v1/onboardings': {
        post: {
          operationId: 'startOnboarding',
          summary: 'Start an onboarding (or join the one running for the same client and input)',
          tags: ['onboardings'],
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: { required: true, content: json(ref('OnboardingInput')) },
          responses: {
            202: {
              description: 'Started or joined',
              headers: { Location: { description: 'The onboarding', schema: { type: 'string' } } },
              content: json(ref('StartAccepted')),
            },
            ...problems(...WRITE),
            409: problem(
              'Running with a different input (OnboardingInputConflict), or already completed (OnboardingAlreadyCompleted)',
            ),
            422: problem(
              'The Idempotency-Key already started an onboarding of another client or with another input (IdempotencyKeyReused)',
            ),
          },
        },
        get: {
          operationId: 'listOnboardings',
          summary: 'List onboardings by search attributes, newest first',
          tags: ['onboardings'],
          parameters: [
            { name: 'step', in: 'query', schema: { type: 'string', enum: [...ONBOARDING_STEP_NAMES] } },
            {
              name: 'status',
              in: 'query',
              description: 'Circle application status',
              schema: { type: 'string', enum: [...APPLICATION_STATUSES] },
            },
            {
              name: 'pageSize',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            {
              name: 'pageToken',
              in: 'query',
              description: 'The `nextPageToken` of the previous page of the same query',
              schema: { type: 'string', pattern: PAGE_TOKEN.source },
            },
          ],
          responses: {
            200: { description: 'A page', content: json(ref('OnboardingList')) },
            ...problems(400, ...READ),
          },
        },
      },
      '/v1/onboardings/{id}': {
        get: {
          operationId: 'getOnboarding',
          summary: 'Status, progress, and the result or failure',
          tags: ['onboardings'],
          parameters: [idParam],
          responses: {
            200: { description: 'The onboarding', content: json(ref('Onboarding')) },
            ...problems(400, ...BY_ID, ...READ),
          },
        },
      },
      '/v1/onboardings/{id}/rfis/{rfiId}/answer': {
        post: message(
          'answerRfi',
          'Answer an RFI (answerRfi update)',
          'RfiAnswerRequest',
          'RfiAnswerResult',
          {
            parameters: [
              idParam,
              {
                name: 'rfiId',
                in: 'path',
                required: true,
                description: 'The rfiId shown in progress',
                schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
              },
              messageKey,
            ],
          },
        ),
      },
      '/v1/onboardings/{id}/sections': {
        post: message(
          'provideSectionData',
          'Add or correct section data (provideSectionData update)',
          'SectionsRequest',
          'SectionDataResult',
        ),
      },
      '/v1/onboardings/{id}/documents': {
        post: {
          operationId: 'uploadDocument',
          summary: 'Upload a document (stored by the service, then given with the provideDocuments update)',
          tags: ['messages'],
          parameters: [idParam, messageKey],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: ref('DocumentUpload'),
                encoding: {
                  file: { contentType: 'application/pdf, image/jpeg, image/png, application/octet-stream' },
                },
              },
            },
          },
          responses: {
            200: { description: 'The update’s result', content: json(ref('DocumentsResult')) },
            ...problems(...WRITE, ...BY_ID, 409, 422, 504),
            413: problem(
              'The file is over the limit (PayloadTooLarge), or the onboarding’s uploads would pass their quota (UploadQuotaPerOnboardingExceeded)',
            ),
            429: problem(
              'Rate limited (RateLimited), or the API key’s upload quota per hour is spent (UploadQuotaPerKeyExceeded); see Retry-After',
            ),
            503: problem(
              'No document store configured (DocumentStoreNotConfigured), or Temporal unavailable',
            ),
          },
        },
      },
      '/v1/onboardings/{id}/cancel': {
        post: {
          operationId: 'cancelOnboarding',
          summary: 'Cancel (a DRAFT application is cancelled at Circle)',
          tags: ['onboardings'],
          parameters: [idParam],
          responses: {
            202: { description: 'Cancellation requested', content: json(ref('CancelAccepted')) },
            ...problems(400, 401, 403, ...BY_ID, 409, 429, 503),
          },
        },
      },
      '/v1/notifications/circle': {
        head: {
          operationId: 'probeCircleNotifications',
          summary: 'Reachability probe (SNS, Circle)',
          tags: ['notifications'],
          security: [],
          responses: {
            200: { description: 'Reachable (empty body)' },
            429: notificationProblem('Too many requests from this IP (rate_limited); see Retry-After'),
          },
        },
        post: {
          operationId: 'receiveCircleNotification',
          summary: 'Circle’s v1 notifications, delivered by Amazon SNS',
          description:
            'Unauthenticated: every message is verified (topic, age, certificate URL, RSA signature) and limited per client IP (CIRCLE_NOTIFICATIONS_RATE_LIMIT_PER_MINUTE). A verified notification wakes its onboarding (`applicationStatusChanged`); a SubscriptionConfirmation is confirmed by fetching its SubscribeURL.',
          tags: ['notifications'],
          security: [],
          requestBody: {
            required: true,
            content: {
              'text/plain': {
                schema: {
                  type: 'string',
                  contentMediaType: 'application/json',
                  contentSchema: ref('SnsMessage'),
                },
              },
              'application/json': { schema: ref('SnsMessage') },
            },
          },
          responses: {
            200: { description: 'Verified (handled, ignored, unroutable or a duplicate): empty body' },
            400: notificationProblem(
              'Not an SNS message, out of its time window, or an unsupported signature version',
            ),
            403: notificationProblem('Signature, topic or certificate URL not accepted'),
            413: notificationProblem('Body over 256 KiB (body_too_large)'),
            415: notificationProblem('Not text/plain or application/json (unsupported_media_type)'),
            429: notificationProblem('Too many requests from this IP (rate_limited); see Retry-After'),
            502: notificationProblem('The SubscribeURL could not be confirmed (subscription_not_confirmed)'),
            503: notificationProblem(
              'Signing certificate or Temporal unavailable (verification_unavailable, relay_unavailable): SNS retries',
            ),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'getLiveness',
          summary: 'Liveness',
          tags: ['operations'],
          security: [],
          responses: { 200: { description: 'Up', content: json(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'getReadiness',
          summary: 'Readiness: Temporal is reachable',
          tags: ['operations'],
          security: [],
          responses: { 200: { description: 'Ready', content: json(ref('Health')) }, ...problems(503) },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          tags: ['operations'],
          security: [],
          responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
        },
      },
    },
    components: {
      schemas: { ...inputSchemas(), ...SCHEMAS },
      parameters: {
        OnboardingId: {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The onboarding (workflow) id, as returned by the start',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'Retries with the same key and body are the same start (Temporal start request id); a key that started an onboarding is refused for another client or input with 422 IdempotencyKeyReused',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
        },
        MessageIdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'A retry with the same key and body attaches to the same update and gets the same answer; the same key with another body is refused with 422 IdempotencyKeyReused',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
        },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
  };
}
