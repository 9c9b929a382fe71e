// Activities for compliance Requests For Information.
import type { CircleClient } from '../circle/client';
import type { OpenRfi } from '../contract';
import { callOptions } from './context';
import { classified } from './failures';

const ANSWERED = new Set(['RESPONDED', 'ANSWERED', 'RESOLVED', 'CLOSED']);

export function createRfiActivities(circle: CircleClient) {
  return {
    /** Every RFI still waiting for an answer, across all published bundles. */
    async listOpenRfis(applicationId: string): Promise<OpenRfi[]> {
      return classified(async () => {
        const bundles = await circle.listRfis(applicationId, callOptions());
        return bundles.flatMap((b) =>
          b.rfis
            .filter((r) => !ANSWERED.has(r.status.toUpperCase()))
            .map((r) => ({
              rfiId: r.rfiId,
              bundleId: b.bundleId,
              section: r.section,
              field: r.field,
              type: r.type,
              systemComment: r.systemComment,
            })),
        );
      });
    },

    /** The RFI's state at Circle (`GET .../rfis/{rfiId}`), e.g. to tell what a 409 on an answer meant. */
    async getRfiState(applicationId: string, rfiId: string): Promise<'responded' | 'pending' | 'closed'> {
      return classified(async () => {
        const { status } = await circle.getRfi(applicationId, rfiId, callOptions());
        if (ANSWERED.has(status.toUpperCase())) return 'responded';
        return status.toUpperCase() === 'PENDING' ? 'pending' : 'closed';
      });
    },

    /** `PATCH .../rfis/{rfiId}`: Circle validates the value against the schema (422 otherwise). */
    async answerRfi(applicationId: string, rfiId: string, answer: Record<string, unknown>): Promise<void> {
      await classified(() => circle.answerRfi(applicationId, rfiId, answer, callOptions()));
    },
  };
}
