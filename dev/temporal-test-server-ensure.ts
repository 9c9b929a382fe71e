// Resolves (and if needed fetches) Temporal's Java time-skipping test server; prints the path of its
// executable as the last stdout line.
import { resolveTimeSkippingServer } from './temporal-test-server';

resolveTimeSkippingServer()
  .then(({ path }) => process.stdout.write(`${path}\n`))
  .catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
