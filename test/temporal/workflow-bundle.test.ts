// Which workflow code a worker runs, and what the production bundle may contain.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { buildWorkflowBundle, workflowCode } from '../../src/temporal/workflow-bundle';

test('WORKFLOW_BUNDLE_PATH is used when it exists, and named in the error when it does not', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'workflow-bundle.js');
  expect(() => workflowCode({ WORKFLOW_BUNDLE_PATH: file })).toThrow(
    /WORKFLOW_BUNDLE_PATH=.*does not exist: run `npm run build`/,
  );
  writeFileSync(file, '// bundle');
  const said: string[] = [];
  expect(workflowCode({ WORKFLOW_BUNDLE_PATH: file }, (l) => said.push(l))).toEqual({
    workflowBundle: { codePath: file },
  });
  expect(said).toEqual([`running the prebuilt workflow bundle ${file}`]);
});

test('from source, without a prebuilt bundle, the worker bundles the sources and says so', () => {
  const said: string[] = [];
  const code = workflowCode({}, (l) => said.push(l));
  expect(code).toEqual({ workflowsPath: expect.stringMatching(/src[\\/]workflows[\\/]index\.ts$/) });
  expect(said[0]).toMatch(/no prebuilt workflow bundle .*bundling the workflow sources at start-up/);
});

test('the bundle holds the workflow and none of the worker-side libraries', async () => {
  const code = await buildWorkflowBundle(new DefaultLogger('WARN'));
  expect(code).toContain('onboardPartnerClient');
  expect(code).toMatch(/src\/workflows\//);
  // zod, axios and Ajv stay in activities: each cached workflow would otherwise carry a copy.
  expect(code).not.toMatch(/node_modules\/(zod|axios|ajv)\//);
  expect(code).not.toMatch(/simulator\//);
});
