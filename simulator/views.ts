// The JSON shapes the simulator serves, built from the records in one place.
import { sectionStatuses } from './sections';
import type {
  AccountRecord,
  ApplicationRecord,
  ClientRecord,
  DocumentRecord,
  RfiBundle,
  RfiRecord,
  SimState,
} from './state';

export function clientView(client: ClientRecord, state: SimState) {
  const approved = state.applications.get(client.applicationId)?.status === 'APPROVED';
  return {
    clientEntityId: client.clientEntityId,
    created: client.created,
    clientName: client.clientName,
    country: client.country,
    clientType: client.clientType,
    businessDetails: { ...client.businessDetails },
    // Circle reports the client `pending` until its onboarding is approved.
    status: approved ? 'active' : 'pending',
  };
}

/** Bundles that still hold an unanswered RFI. */
export function pendingBundleIds(app: ApplicationRecord): string[] {
  return app.bundles.filter((b) => b.rfis.some((r) => r.status === 'PENDING')).map((b) => b.bundleId);
}

export function applicationView(app: ApplicationRecord) {
  return {
    applicationId: app.applicationId,
    clientEntityId: app.clientEntityId,
    status: app.status,
    sections: sectionStatuses(app),
    pendingRfis: pendingBundleIds(app),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    submissionCount: app.submissionCount,
  };
}

export function rfiView(rfi: RfiRecord) {
  return {
    rfiId: rfi.rfiId,
    section: rfi.section,
    field: rfi.field,
    type: rfi.type,
    status: rfi.status,
    systemComment: rfi.systemComment,
    createdAt: rfi.createdAt,
  };
}

export function rfiDetailView(rfi: RfiRecord) {
  return {
    ...rfiView(rfi),
    bundleId: rfi.bundleId,
    respondedAt: rfi.respondedAt ?? null,
    comments: rfi.comments.map((c) => ({ ...c })),
  };
}

export function bundleView(bundle: RfiBundle) {
  return {
    bundleId: bundle.bundleId,
    status: bundle.status,
    createdAt: bundle.createdAt,
    rfis: bundle.rfis.map(rfiView),
  };
}

/** An item of `GET .../documents`; `refId` (entity documents only) is the simulator's addition. */
export function documentView(doc: DocumentRecord) {
  return {
    datumName: doc.datumName,
    documentId: doc.documentId,
    fileName: doc.fileName,
    uploadedAt: doc.uploadedAt,
    ...(doc.refId !== undefined ? { refId: doc.refId } : {}),
  };
}

export function accountView(account: AccountRecord) {
  const { createDate: _createDate, businessPii, clientEntityId, ...rest } = account;
  return {
    ...rest,
    ...(clientEntityId ? { clientEntityId } : {}),
    ...(businessPii ? { businessPii } : {}),
    balances: account.balances.map((b) => ({ ...b })),
  };
}
