// Activities for the partner client: create it (idempotently) and find an existing one.
import type { CircleClient } from '../circle/client';
import type { ReportedApplicationStatus } from '../circle/enums';
import type { ClientInput } from '../contract';
import { alsoRead, answeredNow, callOptions, checkpoint, resumed } from './context';
import { classified } from './failures';

export interface ExistingClient {
  clientEntityId: string;
  applicationId?: string;
  businessDetails?: { natureOfBusiness?: string; institutionType?: string };
}

/** Where a lookup of an existing client stands: its cursor in the client list, then in the applications. */
type Lookup =
  { client?: undefined; clientsAfter?: string } | { client: ExistingClient; applicationsAfter?: string };

/** Visibility over this onboarding's own earlier runs (a Temporal client), to prove what they created. */
export interface OwnRuns {
  count(query: string): Promise<number>;
}

export function createClientActivities(circle: CircleClient, ownRuns?: OwnRuns) {
  return {
    /**
     * `POST /v1/partner/clients`. The key comes from workflow state, so every retry sends the same one.
     * Then the application's status (a replay of our key may find it past DRAFT): one task, not two.
     */
    async createClient(
      client: ClientInput,
      idempotencyKey: string,
    ): Promise<{
      clientEntityId: string;
      applicationId: string;
      applicationStatus?: ReportedApplicationStatus;
      /** When Circle answered (this worker's clock), recorded in history: see `answeredNow`. */
      answeredAt: string;
    }> {
      return classified(async () => {
        const opts = callOptions();
        const ids = await circle.createClient(client, idempotencyKey, opts);
        const application = await alsoRead(() => circle.getApplication(ids.applicationId, opts));
        return {
          ...ids,
          ...(application && { applicationStatus: application.status }),
          answeredAt: answeredNow(),
        };
      });
    },

    /**
     * Looks up the client Circle already has for this name and country, and its application: page by
     * page, each page's cursor kept as heartbeat details, so a retry goes on where the last one stopped.
     */
    async findExistingClient(clientName: string, country: string): Promise<ExistingClient | null> {
      return classified(async () => {
        const opts = callOptions();
        let at: Lookup = resumed<Lookup>() ?? { clientsAfter: undefined };
        while (!at.client) {
          const page = await circle.listClients({ pageSize: 100, pageAfter: at.clientsAfter }, opts);
          const hit = page.clients.find((c) => c.clientName === clientName && c.country === country);
          if (hit) {
            const { clientEntityId, businessDetails } = hit;
            at = { client: { clientEntityId, ...(businessDetails && { businessDetails }) } };
          } else if (!page.nextPageAfter) return null;
          else at = { clientsAfter: page.nextPageAfter };
          checkpoint(at);
        }
        const client = at.client;
        for (;;) {
          const page = await circle.listApplications(
            { limit: 100, startingAfter: at.applicationsAfter },
            opts,
          );
          const hit = page.applications.find((a) => a.clientEntityId === client.clientEntityId);
          if (hit || !page.hasMore || !page.nextCursor)
            return { ...client, applicationId: hit?.applicationId };
          at = { client, applicationsAfter: page.nextCursor };
          checkpoint(at);
        }
      });
    },

    /**
     * Whether an earlier run of this workflow id recorded this client (its `CircleClientEntityId`
     * search attribute): the proof that a client Circle no longer replays for our key is our own.
     */
    async recordedByOwnRun(workflowId: string, clientEntityId: string): Promise<boolean> {
      if (!ownRuns) return false;
      const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      const query = `WorkflowId = ${quote(workflowId)} AND CircleClientEntityId = ${quote(clientEntityId)}`;
      return (await ownRuns.count(query)) > 0;
    },
  };
}
