// `npm run build`, second half: writes the workflow bundle beside the compiled worker, so production
// workers start without webpack (the worker picks it up; see src/temporal/workflow-bundle.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkflowBundle, WORKFLOW_BUNDLE_FILE } from '../src/temporal/workflow-bundle';

async function main(): Promise<void> {
  const out = path.join(__dirname, '..', 'lib', WORKFLOW_BUNDLE_FILE);
  const code = await buildWorkflowBundle();
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, code);
  process.stderr.write(
    `workflow bundle: ${path.relative(process.cwd(), out)} (${Math.round(code.length / 1024)} KiB)\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
