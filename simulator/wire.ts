// Circle's wire shapes as the simulator serves them: the create-client body, the error bodies (basic,
// with per-field items, and the document dialect) and the numeric codes the reference documents.

import type { ClientType, InstitutionType, NatureOfBusiness } from './circle-enums';

/** `POST /v1/partner/clients` (reference §3.1). */
export interface CreateClientBody {
  clientName: string;
  country: string;
  clientType: ClientType;
  businessDetails: { natureOfBusiness: NatureOfBusiness; institutionType: InstitutionType };
}

/**
 * One rejected field of a section save, bulk save or RFI answer (422): a dot-notation `path`, a machine
 * `error` and a `message` (reference §0.1, seed 001).
 */
export interface FieldError {
  path: string;
  error: string;
  message: string;
}

/** Circle's basic error body `{code, message}`, with `errors` on validation failures (reference §9.1). */
export interface CircleErrorBody {
  code: number;
  message: string;
  errors?: FieldError[];
}

export function circleError(code: number, message: string, errors?: FieldError[]): CircleErrorBody {
  return errors === undefined ? { code, message } : { code, message, errors };
}

/** Unknown application: 404, code 181103, message "Not found" (reference §4.3, §9.2). */
export const APPLICATION_NOT_FOUND_CODE = 181103;

/** Refused document upload: 400, code 181102 (reference §10.3). */
export const DOCUMENT_REJECTED_CODE = 181102;

/** One item of a refused upload: `field` and `code`, not the `path`/`error` of saves (reference §10.3). */
export interface DocumentErrorItem {
  field: string;
  code: string;
}
