// JSON Schemas of the request bodies the simulator accepts (other than section data, which follows the
// application's own schema), compiled once with the shared Ajv instance.
import { CLIENT_TYPES, INSTITUTION_TYPES, NATURES_OF_BUSINESS } from './circle-enums';
import { ajv } from './validation';

export const validateCreateClient = ajv.compile({
  type: 'object',
  required: ['clientName', 'country', 'clientType', 'businessDetails'],
  properties: {
    clientName: { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S' },
    country: { type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' },
    clientType: { enum: [...CLIENT_TYPES] },
    businessDetails: {
      type: 'object',
      required: ['natureOfBusiness', 'institutionType'],
      properties: {
        natureOfBusiness: { enum: [...NATURES_OF_BUSINESS] },
        institutionType: { enum: [...INSTITUTION_TYPES] },
      },
    },
  },
});

export const validateSubmit = ajv.compile({
  type: 'object',
  required: ['endUserAgreesToTermsOfService', 'endUserIpAddress'],
  properties: {
    endUserAgreesToTermsOfService: { type: 'boolean' },
    endUserIpAddress: { type: 'string', minLength: 7, maxLength: 39 },
    certificationIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
  },
});

export const validateComment = ajv.compile({
  type: 'object',
  required: ['content'],
  properties: { content: { type: 'string', minLength: 1, maxLength: 5000 } },
});

const idempotencyKey = { type: 'string', format: 'uuid' };

export const validateStandardAccount = ajv.compile({
  type: 'object',
  required: ['idempotencyKey', 'description', 'type', 'purpose'],
  properties: {
    idempotencyKey,
    description: { type: 'string', minLength: 1, maxLength: 255 },
    type: { enum: ['first_party', 'third_party'] },
    purpose: { enum: ['custody'] },
    clientEntityId: { type: 'string', format: 'uuid' },
  },
});

const countryCode = { type: 'string', pattern: '^[A-Z]{2}$' };
const nonEmpty = { type: 'string', minLength: 1, maxLength: 255 };

export const validateManagedPaymentsAccount = ajv.compile({
  type: 'object',
  required: ['idempotencyKey', 'description', 'type', 'purpose'],
  properties: {
    idempotencyKey,
    description: { type: 'string', minLength: 1, maxLength: 255 },
    type: { enum: ['first_party'] },
    purpose: { enum: ['payments'] },
    endCustomerType: { enum: ['business', 'individual'] },
    businessPii: {
      type: 'object',
      required: ['businessName', 'businessUniqueIdentifier', 'identifierIssuingCountryCode', 'address'],
      properties: {
        businessName: nonEmpty,
        businessUniqueIdentifier: nonEmpty,
        identifierIssuingCountryCode: countryCode,
        address: {
          type: 'object',
          required: ['line1', 'city', 'postalCode', 'country'],
          properties: {
            line1: nonEmpty,
            line2: { type: 'string', maxLength: 255 },
            city: nonEmpty,
            district: { type: 'string', maxLength: 255 },
            postalCode: { type: 'string', minLength: 1, maxLength: 32 },
            country: countryCode,
          },
        },
      },
    },
    // Its fields are not published; any non-empty object is accepted.
    individualPii: { type: 'object', minProperties: 1 },
  },
});

export const validateArchive = ajv.compile({
  type: 'object',
  required: ['idempotencyKey'],
  properties: { idempotencyKey },
});

export const validateCliveClient = ajv.compile({
  type: 'object',
  required: ['client_id', 'legal_name'],
  properties: {
    client_id: { type: 'string', minLength: 3, maxLength: 128 },
    legal_name: { type: 'string', minLength: 2, maxLength: 255 },
    status: { enum: ['active', 'suspended', 'pending_kyc'] },
    partner_fee_percentage: { type: 'number', minimum: 0, maximum: 100 },
    partner_fee_flat_usd: { type: 'number', minimum: 0, maximum: 10 },
  },
});
