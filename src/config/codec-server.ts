// The codec server (`npm run codec-server`): where it listens, for which tokens, namespaces and origins.
import { z } from 'zod';
import type { CodecServerSettings } from '../temporal/codec-server';
import { list, port } from './variables';

export const codecServerVariables = z.object({
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: port(8888),
  /** Comma list of Web UI origins the codec server answers CORS for. */
  CODEC_CORS_ORIGIN: z.string().min(1).default('http://localhost:8233'),
  /** Comma list of SHA-256 hex hashes of the bearer tokens the codec server accepts. */
  CODEC_SERVER_TOKENS: z
    .string()
    .default('')
    .refine((v) => list(v).every((h) => /^[0-9a-fA-F]{64}$/.test(h)), {
      message: 'each entry must be 64 hex digits: the SHA-256 of a token, never the token',
    }),
  /** Comma list of namespaces the codec server serves (X-Namespace); default the configured one. */
  CODEC_SERVER_NAMESPACES: z.string().optional(),
  /** `/encode` lets callers produce ciphertext with the key: off unless asked for. */
  CODEC_SERVER_ENCODE: z.enum(['true', 'false']).default('false'),
});

/** `namespace`: the configured Temporal namespace, served when CODEC_SERVER_NAMESPACES is unset. */
export function codecServerSettings(
  e: z.infer<typeof codecServerVariables>,
  { namespace }: { namespace: string },
): CodecServerSettings {
  return {
    host: e.CODEC_SERVER_HOST,
    port: e.CODEC_SERVER_PORT,
    corsOrigins: list(e.CODEC_CORS_ORIGIN),
    tokenHashes: list(e.CODEC_SERVER_TOKENS).map((h) => h.toLowerCase()),
    namespaces: e.CODEC_SERVER_NAMESPACES ? list(e.CODEC_SERVER_NAMESPACES) : [namespace],
    encode: e.CODEC_SERVER_ENCODE === 'true',
  };
}
