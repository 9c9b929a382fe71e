// The workflow code a worker runs: the bundle `npm run build` wrote ahead of time (production: no
// webpack at start-up, and every replica runs the same bytes), or the sources bundled at start-up when
// running from source in development.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';
import { ENCODING_FAILURE_CONVERTER_PATH } from './data-converter';

/** The bundle's file name, beside the compiled worker (`lib/workflow-bundle.js`). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

const WORKFLOWS = require.resolve('../workflows');

export type WorkflowCode = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;

/**
 * `WORKFLOW_BUNDLE_PATH` if set (it must exist), else the bundle beside the compiled code, else the
 * workflow sources. `say` is told which one, so the worker's log shows it.
 */
export function workflowCode(
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = () => undefined,
): WorkflowCode {
  const explicit = env.WORKFLOW_BUNDLE_PATH;
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new Error(
        `WORKFLOW_BUNDLE_PATH=${explicit} does not exist: run \`npm run build\` or unset the variable`,
      );
    }
    say(`running the prebuilt workflow bundle ${explicit}`);
    return { workflowBundle: { codePath: path.resolve(explicit) } };
  }
  const beside = path.join(__dirname, '..', WORKFLOW_BUNDLE_FILE);
  if (existsSync(beside)) {
    say(`running the prebuilt workflow bundle ${beside}`);
    return { workflowBundle: { codePath: beside } };
  }
  say('no prebuilt workflow bundle (npm run build writes one): bundling the workflow sources at start-up');
  return { workflowsPath: WORKFLOWS };
}

/**
 * Bundles the workflow sources (what `npm run build` writes to lib/workflow-bundle.js). The bundle
 * fixes the workflows' failure converter before anyone knows whether encryption will be on, so it gets
 * the encoding one: messages go into encoded attributes, encrypted by the codec when keys are set and
 * plain JSON otherwise (SDK clients read both; see README "Encrypted payloads").
 */
export async function buildWorkflowBundle(logger?: Logger): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS,
    failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH,
    logger,
  });
  return code;
}
