// `watch --workflow-id ID`: print each change of progress until the onboarding ends.
import { progressQuery, type OnboardingProgress } from '../contract';
import { parse, required } from './args';
import { withClient } from './connection';
import { log } from './output';

export async function watch(argv: string[]) {
  const id = required(parse(argv, { 'workflow-id': { type: 'string' } })['workflow-id'], 'workflow-id');
  return withClient(async (client) => {
    const handle = client.workflow.getHandle(id);
    let last = '';
    const report = (p: OnboardingProgress) => {
      const open = p.rfis.filter((r) => r.state === 'open');
      const line = `${p.step}${p.applicationStatus ? ` · application ${p.applicationStatus}` : ''}${
        open.length
          ? ` · ${open.length} open RFI(s): ${open.map((r) => `${r.rfiId} ${r.section}.${r.field}`).join(', ')}`
          : ''
      }${p.sectionErrors.length ? ` · ${p.sectionErrors.length} section problem(s)` : ''}`;
      if (line !== last) log(`[${new Date().toISOString()}] ${line}`);
      last = line;
    };
    const result = handle.result();
    let done = false;
    void result.finally(() => (done = true)).catch(() => undefined);
    while (!done) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress) report(progress);
      await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    }
    return { workflowId: id, result: await result };
  });
}
