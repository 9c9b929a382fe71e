// The one error a document read fails with: a problem code callers can branch on, and whether trying
// again may help, so an activity can turn it into a retryable or a non-retryable failure.
// No Node built-ins: contract and workflow code may import the type.

export type DocumentSourceProblem =
  | 'invalid_source' // neither a relative path nor an https URL (absolute paths, http://, data:, empty, NUL, ...)
  | 'outside_store' // the path escapes the directory (.., symlinks pointing out)
  | 'not_found' // no such file (or 404 from the URL)
  | 'too_large' // more than the read's byte limit
  | 'not_configured' // a path source but no directory; a URL source while URLs are disabled or, with ONBOARDING_ENV=production, without an allow list
  | 'host_not_allowed' // URL host name not in the allow list (decided on the name alone, no I/O)
  // Network error, timeout, 5xx, 429: worth retrying. Also a host on a refused (internal) address or one
  // that does not resolve: the same message as a refused connection, so sources are no network probe.
  | 'unreachable'
  | 'unreachable_for_long'; // still unreachable after many attempts: final, the caller gives it again

export class DocumentSourceError extends Error {
  override readonly name = 'DocumentSourceError';
  readonly problem: DocumentSourceProblem;
  /** Only `unreachable` is worth retrying. */
  readonly retryable: boolean;
  /** When `too_large` and the size is known (a file's size, a Content-Length). */
  readonly size?: number;

  /** `message` names the source (a path, or a URL without its query) but never the document's contents. */
  constructor(problem: DocumentSourceProblem, message: string, size?: number) {
    super(message);
    this.problem = problem;
    this.retryable = problem === 'unreachable';
    if (size !== undefined) this.size = size;
  }
}
