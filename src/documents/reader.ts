// What every reader gets: one parsed source of its kind and the limits of this read. Readers stay small
// and know one kind of source each; the store parses the source and picks the reader (store.ts).
import type { ParsedSource } from './source';

export interface ReadRequest {
  /** Already the lower of the store's cap and the caller's own limit. */
  maxBytes: number;
  signal?: AbortSignal;
}

export type SourceReader<S extends ParsedSource> = (source: S, request: ReadRequest) => Promise<Buffer>;
