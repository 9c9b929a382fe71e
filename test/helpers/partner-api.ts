// The PartnerApiError a provider-client call rejects with (fails the test if it resolves).
import { PartnerApiError } from '../../src/partner-api/error';

export const rejection = (call: Promise<unknown>): Promise<PartnerApiError> =>
  call.then(
    () => {
      throw new Error('expected a PartnerApiError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(PartnerApiError);
      return e as PartnerApiError;
    },
  );
