// Resolves (and if needed builds) the Temporal CLI; prints its absolute path as the last stdout line.
import { resolveTemporalCli } from './temporal-cli';

resolveTemporalCli()
  .then(({ path }) => process.stdout.write(`${path}\n`))
  .catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
