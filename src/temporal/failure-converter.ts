// Failure messages and stack traces can carry business data (a client's name in an error from Circle),
// so with encryption on they move into the failure's encoded attributes, which the payload codec
// encrypts. Loaded by path (the SDK's `failureConverterPath`): the workflow bundle includes it.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
