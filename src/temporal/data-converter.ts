// The data converter shared by the worker, the CLI and any client: encrypted payloads when keys are
// configured (PAYLOAD_ENCRYPTION_KEYS), Temporal's default otherwise.
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { EncryptionCodec } from './encryption-codec';

export function dataConverterFor(config: Pick<Config, 'temporal'>): DataConverter | undefined {
  const keys = config.temporal.encryption;
  return keys ? { payloadCodecs: [new EncryptionCodec(keys)] } : undefined;
}
