// Temporal: the connection (address, namespace, TLS, API key: TEMPORAL_* and the TOML profile, read by
// temporal/connection.ts with envconfig), the workflows' task queue and payload encryption.
import { z } from 'zod';
import type { TemporalConnection } from '../temporal/connection';
import { parseEncryptionKeys, type EncryptionKeys } from '../temporal/encryption-codec';

export const temporalVariables = z.object({
  TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
  /** `id:base64key[,id:base64key]`: encrypt payloads with the first key, decrypt with any. */
  PAYLOAD_ENCRYPTION_KEYS: z.string().min(1).optional(),
  /** In production, running without PAYLOAD_ENCRYPTION_KEYS needs saying so (security.ts). */
  ALLOW_UNENCRYPTED_PAYLOADS: z.enum(['true', 'false']).default('false'),
});

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue?: string;
  encryption?: EncryptionKeys;
  /** Address, namespace, TLS, API key: pass to `clientConnectionOptions`/`nativeConnectionOptions`. */
  connection: TemporalConnection;
}

export function temporalSettings(
  e: z.infer<typeof temporalVariables>,
  connection: TemporalConnection,
): TemporalSettings {
  return {
    address: connection.address,
    namespace: connection.namespace,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    encryption: e.PAYLOAD_ENCRYPTION_KEYS ? parseEncryptionKeys(e.PAYLOAD_ENCRYPTION_KEYS) : undefined,
    connection,
  };
}
