// Clive's wire shapes as the HTTP client sends and reads them: the create body and the error body.

/** `POST /api/v1/clients` (snake_case, as Clive documents it). */
export interface CreateCliveClientBody {
  client_id: string;
  legal_name: string;
  status?: 'active' | 'suspended' | 'pending_kyc';
  partner_fee_percentage?: number;
  partner_fee_flat_usd?: number;
}

/** Clive's error body: `{ error, code, details }`. */
export interface CliveErrorBody {
  error: string;
  code: string;
  details: unknown;
}

export function cliveError(code: string, error: string, details: unknown = null): CliveErrorBody {
  return { error, code, details };
}
