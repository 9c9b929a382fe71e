// Activities for the optional registration of the client with Clive.
import type { CliveClient } from '../clive/client';
import type { CreateCliveClientBody } from '../clive/wire';
import { callOptions } from './context';
import { classified } from './failures';

export interface ExistingCliveClient extends Partial<Omit<CreateCliveClientBody, 'client_id' | 'status'>> {
  cliveClientId: string;
}

export function createCliveActivities(clive: CliveClient) {
  return {
    async registerCliveClient(
      body: CreateCliveClientBody,
      idempotencyKey: string,
    ): Promise<{ cliveClientId: string }> {
      return classified(async () => ({
        cliveClientId: (await clive.createClient(body, idempotencyKey, callOptions())).id,
      }));
    },

    /**
     * The client Clive holds under `clientId`, if any, with the fields the workflow compares before
     * adopting it after CLIENT_EXISTS.
     */
    async findCliveClient(clientId: string): Promise<ExistingCliveClient | null> {
      return classified(async () => {
        const hit = (await clive.listClients(callOptions())).find((c) => c.client_id === clientId);
        if (!hit) return null;
        const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
        return {
          cliveClientId: hit.id,
          legal_name: typeof hit.legal_name === 'string' ? hit.legal_name : undefined,
          partner_fee_percentage: number(hit.partner_fee_percentage),
          partner_fee_flat_usd: number(hit.partner_fee_flat_usd),
        };
      });
    },
  };
}
