// Activities for the partner client: create it (idempotently) and find an existing one.
import type { CircleClient } from '../circle/client';
import type { ClientInput } from '../contract';
import { callOptions } from './context';
import { classified } from './failures';

export interface ExistingClient {
  clientEntityId: string;
  applicationId?: string;
}

export function createClientActivities(circle: CircleClient) {
  return {
    /** `POST /v1/partner/clients`. The key comes from workflow state, so every retry sends the same one. */
    async createClient(client: ClientInput, idempotencyKey: string) {
      return classified(() => circle.createClient(client, idempotencyKey, callOptions()));
    },

    /** Looks up the client Circle already has for this name and country, and its application. */
    async findExistingClient(clientName: string, country: string): Promise<ExistingClient | null> {
      return classified(async () => {
        const opts = callOptions();
        const client = await circle.findClient(clientName, country, opts);
        if (!client) return null;
        const application = await circle.findApplicationOfClient(client.clientEntityId, opts);
        return { clientEntityId: client.clientEntityId, applicationId: application?.applicationId };
      });
    },
  };
}
