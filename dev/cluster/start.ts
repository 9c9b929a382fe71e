// Brings up `npm run cluster`'s Temporal: PostgreSQL in `dir`, Temporal's two databases created with
// its schema tool, then the server (N history shards, all services in one process) ready for
// onboardings in `namespace`. Everything started is handed to `atExit` as it starts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTemporalServer, TEMPORAL_SERVER_VERSION } from '../temporal-server';
import { startPostgres } from './postgres';
import { setupSchemas } from './schema';
import { writeServerConfig } from './server-config';
import { startTemporalServer } from './temporal';

export interface ClusterTimings {
  /** `go install` of the server and schema tool; 0 when the cached build was used. */
  buildMs: number;
  postgresStartMs: number;
  schemaSetupMs: number;
  /** From spawning the server to the namespace accepting onboardings with search attributes. */
  serverReadyMs: number;
}

export async function startCluster(
  dir: string,
  options: {
    shards: number;
    namespace: string;
    log: (line: string) => void;
    atExit: (stop: () => Promise<void>) => void;
  },
): Promise<{ address: string; namespace: string; version: string; timings: ClusterTimings }> {
  const { log, atExit } = options;
  const binaries = await resolveTemporalServer({ log });

  let t = Date.now();
  const pgDir = join(dir, 'postgres');
  mkdirSync(pgDir);
  const postgres = await startPostgres(pgDir, { log, atExit });
  const postgresStartMs = Date.now() - t;

  t = Date.now();
  await setupSchemas(binaries.sqlTool, binaries.postgresSchemaDir, postgres, log);
  const schemaSetupMs = Date.now() - t;

  const config = await writeServerConfig(join(dir, 'temporal'), { shards: options.shards, postgres });
  const server = await startTemporalServer({
    binary: binaries.server,
    config,
    namespace: options.namespace,
    log,
    atExit,
  });
  return {
    address: server.address,
    namespace: server.namespace,
    version: TEMPORAL_SERVER_VERSION,
    timings: { buildMs: binaries.buildMs, postgresStartMs, schemaSetupMs, serverReadyMs: server.readyMs },
  };
}
