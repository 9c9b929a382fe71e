// What Circle (the simulator) truly holds for one onboarding, read past the realism modes: the RFI detail
// and single-section reads are never lagged, and the applications list filters by the true status even
// when its items show a lagging or unknown one. Counters come from the control API, which no fault or
// realism mode touches.
import { APPLICATION_STATUSES, type RunningSimulator } from '../../simulator';

/** The simulator's Circle key (its default, accepted on loopback only). */
const CIRCLE_KEY = 'TEST_API_KEY:local:simulator';
const APPS = '/v1/onboarding/partner/applications';

/** The simulator-wide counters an onboarding adds to (the fuzzer runs one onboarding at a time). */
export interface Counts {
  clients: number;
  applications: number;
  submissions: number;
  accounts: number;
  cliveClients: number;
}

export class CircleView {
  constructor(private readonly sim: RunningSimulator) {}

  counts(): Counts {
    const s = this.sim.control.state();
    return {
      clients: s.clients,
      applications: s.applications.total,
      submissions: s.submissions,
      accounts: s.accounts.total,
      cliveClients: s.cliveClients,
    };
  }

  /**
   * Submits Circle executed for one application (replays of a key excluded; a connection dropped
   * after the commit included), from the request log: an onboarding of an earlier sequence whose
   * activity was still in flight when it was terminated cannot count here.
   */
  submissionsOf(applicationId: string): number {
    const path = `${APPS}/${applicationId}/submit`;
    return this.sim.control
      .state()
      .requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path === path &&
          !r.replay &&
          ((r.status >= 200 && r.status < 300) || r.fault === 'drop-after-commit'),
      ).length;
  }

  private async get(path: string): Promise<{ status: number; body: unknown }> {
    // Faults are cleared before a check reads, but a read must not be retried into a wrong answer:
    // anything but 200/404 is an error of the check itself.
    const res = await fetch(`${this.sim.url}${path}`, { headers: { Authorization: `Bearer ${CIRCLE_KEY}` } });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status !== 200 && res.status !== 404) {
      throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
    }
    return { status: res.status, body };
  }

  /** Cancels the application as someone at Circle would (DELETE: DRAFT only); the HTTP status. */
  async cancelApplication(applicationId: string): Promise<number> {
    const res = await fetch(`${this.sim.url}${APPS}/${applicationId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${CIRCLE_KEY}` },
    });
    await res.body?.cancel();
    return res.status;
  }

  /** `PENDING` / `RESPONDED`, or undefined for an RFI Circle does not know. */
  async rfiStatus(applicationId: string, rfiId: string): Promise<string | undefined> {
    const { status, body } = await this.get(`${APPS}/${applicationId}/rfis/${rfiId}`);
    return status === 200 ? (body as { status?: string }).status : undefined;
  }

  /** A field of a flat section as Circle stores it (undefined when the section or field is absent). */
  async field(applicationId: string, section: string, field: string): Promise<unknown> {
    const { status, body } = await this.get(`${APPS}/${applicationId}/sections/${section}`);
    if (status !== 200) return undefined;
    return ((body as { data?: Record<string, unknown> }).data ?? {})[field];
  }

  /** The application's true status (the list's status filter is never lagged). */
  async trueStatus(applicationId: string): Promise<string | undefined> {
    for (const s of APPLICATION_STATUSES) {
      // Newest first, and the fuzzer's onboarding is the newest application: the first page holds it.
      const { body } = await this.get(`${APPS}?status=${s}&limit=100`);
      const apps = (body as { applications?: { applicationId: string }[] }).applications ?? [];
      if (apps.some((a) => a.applicationId === applicationId)) return s;
    }
    return undefined;
  }

  /** The client's accounts (any status but archived). */
  async accounts(clientEntityId: string): Promise<{ accountId: string; status: string }[]> {
    const { body } = await this.get(`/v1/accounts?clientEntityId=${clientEntityId}`);
    return (body as { data?: { accountId: string; status: string }[] }).data ?? [];
  }
}
