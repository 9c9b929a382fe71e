// The certifications every end user accepts before submit (fixed ids, so tests and clients can rely on them).
export const CERTIFICATIONS = [
  {
    id: '5b1f0c3e-8a4d-4c1e-9f2a-1d3c5e7a9b01',
    name: 'termsOfService',
    version: '2026-01-01',
    content: '<p>I agree to the Circle Terms of Service on behalf of the business.</p>',
  },
  {
    id: '5b1f0c3e-8a4d-4c1e-9f2a-1d3c5e7a9b02',
    name: 'accuracyOfInformation',
    version: '2026-01-01',
    content: '<p>I certify that the information in this application is true, accurate and complete.</p>',
  },
] as const;

export const CERTIFICATION_IDS: readonly string[] = CERTIFICATIONS.map((c) => c.id);
