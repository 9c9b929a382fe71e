// Activities for the client's third-party custody account.
import type { CircleClient } from '../circle/client';
import type { ReportedAccountStatus } from '../circle/enums';
import type { CreateAccountBody } from '../circle/wire';
import { answeredNow, callOptions, statusAfterWrite } from './context';
import { classified } from './failures';

export interface AccountSnapshot {
  accountId: string;
  status: ReportedAccountStatus;
  /** When Circle answered a write (see `answeredNow`): reads after it may lag until a window later. */
  answeredAt?: string;
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
        const body: CreateAccountBody = {
          idempotencyKey,
          description,
          type: 'third_party',
          purpose: 'custody',
          clientEntityId,
        };
        const opts = callOptions();
        const account = await circle.createAccount(body, opts);
        // An account activated at once saves the activation wait its first poll.
        const read = () => circle.getAccount(account.accountId, opts);
        return {
          accountId: account.accountId,
          status: await statusAfterWrite(account.status, 'pending', read),
          answeredAt: answeredNow(),
        };
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
