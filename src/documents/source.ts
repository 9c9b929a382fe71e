// What a document source string names, decided without I/O. Shared by input validation
// (`sourceShapeProblem`) and the store, so a source that passes the shape check is never refused later
// for its shape. No Node built-ins: contract and workflow code may import this file.
import type { DocumentSourceProblem } from './source-error';

export interface PathSource {
  kind: 'path';
  /** Relative, `/`-separated, `.` and `..` resolved, never above the directory. */
  path: string;
}
export interface HttpsSource {
  kind: 'https';
  url: URL;
}
/** A source the store can read; each kind has its own reader (store.ts). An `s3://` kind would join here. */
export type ParsedSource = PathSource | HttpsSource;

export interface SourceShapeIssue {
  problem: Extract<DocumentSourceProblem, 'invalid_source' | 'outside_store'>;
  /** Says what the source must be, e.g. "must not be empty"; never repeats the source. */
  message: string;
}

/** Sources are stored in workflow history: long enough for signed URLs, short enough not to bloat it. */
export const MAX_SOURCE_LENGTH = 4096;

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function parseSource(source: string): ParsedSource | SourceShapeIssue {
  if (typeof source !== 'string' || source === '') return invalid('must not be empty');
  if (source.length > MAX_SOURCE_LENGTH) return invalid(`must be at most ${MAX_SOURCE_LENGTH} characters`);
  if (hasControlCharacter(source))
    return invalid('must not contain control characters (NUL, line breaks, ...)');
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase();
  if (scheme === undefined) return parsePath(source);
  if (scheme === 'https') return parseHttpsUrl(source);
  // `C:\...` or `C:/...`: a Windows absolute path, not a URL.
  if (scheme.length === 1) return invalid('must be relative to the document directory, not an absolute path');
  return invalid(
    `must be a path relative to the document directory or an https:// URL, not a ${scheme}: URL`,
  );
}

export const isShapeIssue = (parsed: ParsedSource | SourceShapeIssue): parsed is SourceShapeIssue =>
  'problem' in parsed;

/** Why `source` can never be read, judged by its shape alone (no I/O); undefined when it looks acceptable. */
export function sourceShapeProblem(source: string): string | undefined {
  const parsed = parseSource(source);
  return isShapeIssue(parsed) ? parsed.message : undefined;
}

/** How messages name a source: a quoted path, or a URL without query and fragment (signed URLs carry secrets). */
export function describeSource(source: ParsedSource): string {
  return source.kind === 'path' ? JSON.stringify(source.path) : describeUrl(source.url);
}

export const describeUrl = (url: URL): string => `${url.origin}${url.pathname}`;

/** The same for a source that did not parse: cut at `?` or `#` when it looks like a URL, escaped, capped. */
export function describeRawSource(raw: string): string {
  const source = String(raw); // a JavaScript caller may pass anything
  const cut = SCHEME.test(source) ? source.split(/[?#]/, 1)[0]! : source;
  return JSON.stringify(cut.length > 200 ? `${cut.slice(0, 200)}...` : cut);
}

function parsePath(source: string): PathSource | SourceShapeIssue {
  if (source.startsWith('/'))
    return invalid('must be relative to the document directory, not an absolute path');
  // A backslash is a file-name character on POSIX but a separator on Windows: refuse the ambiguity.
  if (source.includes('\\')) return invalid('must use / between folders, not \\');
  if (source.endsWith('/')) return invalid('must name a file, not a folder');
  const parts: string[] = [];
  for (const segment of source.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') parts.push(segment);
    else if (parts.pop() === undefined) {
      return { problem: 'outside_store', message: 'must stay inside the document directory (too many ..)' };
    }
  }
  if (parts.length === 0) return invalid('must name a file, not the document directory itself');
  return { kind: 'path', path: parts.join('/') };
}

function parseHttpsUrl(source: string): HttpsSource | SourceShapeIssue {
  // `https:host/x` parses too (WHATWG is lenient): ask for the form people can read.
  if (!/^https:\/\//i.test(source) || !URL.canParse(source)) return invalid('must be a valid https:// URL');
  const url = new URL(source);
  if (url.hostname === '') return invalid('must be a valid https:// URL');
  // Credentials in a URL would end up in workflow history and in logs.
  if (url.username !== '' || url.password !== '') return invalid('must not carry a user name or password');
  return { kind: 'https', url };
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const invalid = (message: string): SourceShapeIssue => ({ problem: 'invalid_source', message });
