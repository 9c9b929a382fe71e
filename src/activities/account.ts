// Activities for the client's third-party custody account.
import type { CircleClient } from '../circle/client';
import type { ReportedAccountStatus } from '../circle/enums';
import { alsoRead, callOptions } from './context';
import { classified } from './failures';

export interface AccountSnapshot {
  accountId: string;
  status: ReportedAccountStatus;
}

export function createAccountActivities(circle: CircleClient) {
  return {
    /** `POST /v1/accounts`; Circle takes the idempotency key in the body for this endpoint. */
    async createCustodyAccount(
      clientEntityId: string,
      description: string,
      idempotencyKey: string,
    ): Promise<AccountSnapshot> {
      return classified(async () => {
        const opts = callOptions();
        const account = await circle.createAccount(
          { idempotencyKey, description, type: 'third_party', purpose: 'custody', clientEntityId },
          opts,
        );
        if (account.status !== 'pending') return { accountId: account.accountId, status: account.status };
        // Once more: an account activated at once saves the activation wait its first poll.
        const now = await alsoRead(() => circle.getAccount(account.accountId, opts));
        return { accountId: account.accountId, status: now?.status ?? account.status };
      });
    },

    async getAccount(accountId: string): Promise<AccountSnapshot> {
      return classified(async () => {
        const account = await circle.getAccount(accountId, callOptions());
        return { accountId: account.accountId, status: account.status };
      });
    },

    /** The client's custody account with this description, if one exists (to adopt after a 409). */
    async findCustodyAccount(clientEntityId: string, description: string): Promise<AccountSnapshot | null> {
      return classified(async () => {
        const accounts = await circle.listAccounts(
          { clientEntityId, type: 'third_party', purpose: 'custody' },
          callOptions(),
        );
        const match = accounts.find(
          (a) =>
            a.clientEntityId === clientEntityId && a.description.toLowerCase() === description.toLowerCase(),
        );
        return match ? { accountId: match.accountId, status: match.status } : null;
      });
    },
  };
}
