// Whether a value read from JSON (a body, a section, a schema node) is an object with fields: not null,
// not an array. Import-free, so the contract, workflow code and the provider clients share this one.
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
