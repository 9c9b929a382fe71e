// Activities for the optional registration of the client with Clive.
import type { CliveClient } from '../clive/client';
import type { CreateCliveClientBody } from '../clive/wire';
import { callOptions } from './context';
import { classified } from './failures';

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

    /** Clive's id of the client registered under `clientId`, if any (to adopt after CLIENT_EXISTS). */
    async findCliveClient(clientId: string): Promise<{ cliveClientId: string } | null> {
      return classified(async () => {
        const hit = (await clive.listClients(callOptions())).find((c) => c.client_id === clientId);
        return hit ? { cliveClientId: hit.id } : null;
      });
    },
  };
}
