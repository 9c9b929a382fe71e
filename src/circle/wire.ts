// Circle's wire shapes, as the HTTP client sends and reads them. The simulator keeps its own, written
// from the same reference, so a wrong field here is caught by the tests instead of mirrored.
import type { FieldError } from '../partner-api/error';
import type { InstitutionType, NatureOfBusiness } from './enums';

/** `POST /v1/partner/clients`. The workflow input's `client` has exactly this shape. */
export interface CreateClientBody {
  clientName: string;
  country: string;
  clientType: 'business';
  businessDetails: { natureOfBusiness: NatureOfBusiness; institutionType: InstitutionType };
}

/** `POST .../applications/{id}/submit`. */
export interface SubmitBody {
  endUserAgreesToTermsOfService: boolean;
  endUserIpAddress: string;
  certificationIds?: string[];
}

/** `POST /v1/accounts`: Circle takes the idempotency key in the body here. */
export interface CreateAccountBody {
  idempotencyKey: string;
  description: string;
  type: 'third_party' | 'first_party';
  purpose: 'custody';
  clientEntityId?: string;
}

/** Circle's 422 bodies carry the per-field problems every partner's errors are read into. */
export type { FieldError } from '../partner-api/error';

/** Circle's basic error body, extended with per-field `errors` on validation failures. */
export interface CircleErrorBody {
  code: number;
  message: string;
  errors?: FieldError[];
}

export function circleError(code: number, message: string, errors?: FieldError[]): CircleErrorBody {
  return errors ? { code, message, errors } : { code, message };
}

/** `POST .../documents` (multipart): the parts other than `fileContent`. */
export interface UploadDocumentParts {
  fileName: string;
  /** The schema field the file satisfies. */
  datumName: string;
  /** The entity of an array section the file belongs to. */
  refId?: string;
  /** ISO 3166-1 alpha-2; identity documents only. */
  issuedCountry?: string;
  /** One of the field's `x-documentTypes`, when it lists them. */
  documentType?: string;
}

/** One item of `GET .../documents`. */
export interface DocumentListItem {
  datumName: string;
  documentId: string;
  fileName: string;
  uploadedAt: string;
  /** The entity of an array section; Circle documents no such field, the simulator adds it. */
  refId?: string;
}

/** The numeric code of a refused document upload (HTTP 400, `errors: [{field, code}]`). */
export const DOCUMENT_REJECTED_CODE = 181102;

/** One item of a refused upload: the multipart part at fault and a machine code. */
export interface DocumentErrorItem {
  field: string;
  code: string;
}
