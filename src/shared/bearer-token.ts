// The token of an `Authorization: Bearer <token>` header (RFC 6750; the scheme is case-insensitive),
// or undefined for another scheme, a missing header or more than one token.
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
