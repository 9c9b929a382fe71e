// Entry point of the CLI: `npm run -s starter -- <command> [options]` (commands live in src/cli/).
import { runCliAndExit } from './cli';

runCliAndExit(process.argv.slice(2));
