// The data converter shared by the worker, the CLI and any client: encrypted payloads, and failure
// messages and stack traces encoded with them, when keys are configured (PAYLOAD_ENCRYPTION_KEYS);
// Temporal's default otherwise.
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type EncryptionKeys } from './encryption-codec';

/** The module exporting the encoding failure converter (the workflow bundle is built with it). */
export const ENCODING_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function dataConverterFor(config: {
  temporal: { encryption?: EncryptionKeys };
}): DataConverter | undefined {
  const keys = config.temporal.encryption;
  return keys
    ? { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH }
    : undefined;
}
