// The operator and integration CLI: one file per command; this one holds the usage text and dispatch.
// Prints JSON on stdout, explanations on stderr, and exits non-zero on failure.
import { answerRfi } from './answer-rfi';
import { UsageError } from './args';
import { cancel } from './cancel';
import { list } from './list';
import { failureSummary } from './output';
import { provideDocuments } from './provide-documents';
import { provideSections } from './provide-sections';
import { start } from './start';
import { status } from './status';
import { watch } from './watch';

export const USAGE = `usage: npm run -s starter -- <command> [options]

commands:
  start --input FILE [--workflow-id ID] [--wait]     start (or join) the onboarding described by FILE
  status --workflow-id ID                            execution status, progress, and result or failure
  watch --workflow-id ID                             follow progress until the onboarding ends
  answer-rfi --workflow-id ID --rfi-id ID --data JSON|@FILE
                                                     answer an RFI, e.g. --data '{"website":"https://..."}'
  answer-rfi --workflow-id ID --rfi-id ID --document JSON|@FILE
                                                     answer a COLLECT_DOCUMENT RFI, e.g. --document @doc.json
  provide-sections --workflow-id ID --data JSON|@FILE
                                                     add or correct section data, e.g. --data @sections.json
  provide-documents --workflow-id ID --data JSON|@FILE
                                                     give or replace documents, e.g. --data @documents.json
  cancel --workflow-id ID                            cancel (a DRAFT application is cancelled at Circle)
  list [--status APPLICATION_STATUS] [--step STEP]   onboardings, newest first

environment: TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_TASK_QUEUE`;

const COMMANDS: Record<string, (argv: string[]) => Promise<unknown>> = {
  start,
  status,
  watch,
  'answer-rfi': answerRfi,
  'provide-sections': provideSections,
  'provide-documents': provideDocuments,
  cancel,
  list,
};

export async function runCli(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
  const output = await command(rest);
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

/** Runs the CLI and exits: 0 on success, 2 on a usage mistake, 1 on any other failure. */
export function runCliAndExit(argv: string[]): void {
  runCli(argv).catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    const failure = failureSummary(err);
    process.stderr.write(`${'type' in failure ? `failed (${failure.type}): ` : ''}${failure.message}\n`);
    process.exit(1);
  });
}
