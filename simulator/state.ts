// In-memory records of everything the simulator serves. Plain data plus the indexes that keep handlers
// O(1); behaviour lives in the modules that act on it (sections, review, routes).
import type {
  AccountStatus,
  ApplicationStatus,
  InstitutionType,
  NatureOfBusiness,
  RfiType,
} from './circle-enums';
import type { FileKind } from './file-kind';
import type { RequestedField } from './schema-template';

/** `draft`: the reviewer sends the application back to DRAFT (its data kept, so it can be submitted again). */
export type ReviewOutcome = 'approve' | 'deny' | 'rfi' | 'draft';
/**
 * One queued review: a decision, `rfi-document` (an RFI round asking for a document), or `manual` (wait
 * for the control API to decide).
 */
export type ReviewStep = ReviewOutcome | 'rfi-document' | 'manual';

export interface ReviewPlan {
  steps: ReviewStep[];
  /** What a review does once `steps` is empty. */
  whenEmpty: 'approve' | 'manual';
}

export interface ClientRecord {
  clientEntityId: string;
  created: string;
  clientName: string;
  country: string;
  clientType: 'business';
  businessDetails: { natureOfBusiness: NatureOfBusiness; institutionType: InstitutionType };
  applicationId: string;
}

export type FlatData = Record<string, unknown>;
export type EntityData = Record<string, unknown> & { refId: string };
export type SectionData = FlatData | EntityData[];

export interface RfiComment {
  commentId: string;
  author: string;
  content: string;
  createdAt: string;
}

export interface RfiRecord {
  rfiId: string;
  bundleId: string;
  section: string;
  field: string;
  type: RfiType;
  status: 'PENDING' | 'RESPONDED';
  systemComment: string;
  createdAt: string;
  respondedAt?: string;
  comments: RfiComment[];
}

export interface RfiBundle {
  bundleId: string;
  status: 'PUBLISHED';
  createdAt: string;
  rfis: RfiRecord[];
}

/** One uploaded document. It satisfies the file field `datumName` (of entity `refId` in array sections). */
export interface DocumentRecord {
  documentId: string;
  section: string;
  datumName: string;
  refId?: string;
  /** Sanitized (`/` and `\` stripped, trimmed). */
  fileName: string;
  documentType?: string;
  issuedCountry?: string;
  uploadedAt: string;
  bytes: Buffer;
  sha256: string;
  /** Detected from the magic bytes, never from the declared content type. */
  kind: FileKind;
  /** Served on download: the field's accepted MIME type of that kind. */
  contentType: string;
}

export interface ApplicationRecord {
  applicationId: string;
  clientEntityId: string;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt: string;
  submissionCount: number;
  profile: ClientRecord['businessDetails'];
  /** Saved section data, without the fields prefilled from the client record. */
  data: Record<string, SectionData>;
  requestedFields: RequestedField[];
  bundles: RfiBundle[];
  rfis: Map<string, RfiRecord>;
  /** By documentId, in upload order. */
  documents: Map<string, DocumentRecord>;
  plan: ReviewPlan;
}

export interface AccountRecord {
  accountId: string;
  entityId: string;
  clientEntityId?: string;
  type: 'first_party' | 'third_party';
  purpose: 'custody' | 'payments';
  status: AccountStatus;
  description: string;
  balances: { amount: string; currency: string }[];
  businessPii?: unknown;
  groupId: null;
  createDate: string;
}

export interface CliveClientRecord {
  id: string;
  partner_id: string;
  client_id: string;
  legal_name: string;
  status: 'active' | 'suspended' | 'pending_kyc';
  partner_fee_percentage: number | null;
  partner_fee_flat_usd: number | null;
  created_at: string;
  updated_at: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 when the connection was dropped before a response was sent. */
  status: number;
  idempotencyKey: string | null;
  replay: boolean;
  fault?: string;
  at: string;
}

const REQUEST_LOG_CAP = 5000;

export class SimState {
  readonly clients = new Map<string, ClientRecord>();
  /** Creation order; the lists are served newest first. */
  readonly clientOrder: string[] = [];
  readonly clientByNameCountry = new Map<string, string>();
  readonly applications = new Map<string, ApplicationRecord>();
  readonly applicationOrder: string[] = [];
  readonly accounts = new Map<string, AccountRecord>();
  readonly accountOrder: string[] = [];
  /** Lower-cased description -> accountId, for non-archived accounts. */
  readonly accountByDescription = new Map<string, string>();
  readonly cliveClients = new Map<string, CliveClientRecord>();
  readonly cliveOrder: string[] = [];
  /** Submit operations actually executed (replays excluded). */
  submissions = 0;
  nextAccountNumber = 1000000001;
  requests: RequestLogEntry[] = [];
  /** Every request since start or reset by `<method> <route>`: the log keeps only the latest. */
  readonly requestCounts = new Map<string, number>();

  logRequest(entry: RequestLogEntry, route: string): void {
    const key = `${entry.method} ${route}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
    this.requests.push(entry);
    // Trim in batches so that logging stays O(1) amortised.
    if (this.requests.length > REQUEST_LOG_CAP + 500) this.requests = this.requests.slice(-REQUEST_LOG_CAP);
  }

  recentRequests(): RequestLogEntry[] {
    return this.requests.slice(-REQUEST_LOG_CAP);
  }
}

export function nameCountryKey(clientName: string, country: string): string {
  return `${clientName}\u0000${country}`;
}

export function now(): string {
  return new Date().toISOString();
}
