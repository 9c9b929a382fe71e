// The Temporal server's static config and dynamic config for `npm run cluster`, modelled on the server
// module's `config/development-postgres12.yaml`: both stores on PostgreSQL (`postgres12` plugin, which
// gives SQL "advanced" visibility: List/Count queries and custom search attributes), N history shards,
// the four services in one process on free loopback ports, no archival, metrics or pprof. Written as
// JSON, which YAML parsers read as it is: no YAML library needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { DATABASES } from './schema';
import type { RunningPostgres } from './postgres';

const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;

/**
 * What differs from the server's defaults. The IDs are stored in varchar(255) columns (the module's
 * own SQL dev config sets this). The visibility rate is the dev server's: its default of 10 per second
 * throttles the soak's checks. A version's drainage status is refreshed every 2 s (the rollout reads it).
 * Everything else (search-attribute cache, queue poll rates) is left as a
 * production server has it.
 */
const DYNAMIC_CONFIG: Record<string, unknown> = {
  'limit.maxIDLength': 255,
  'frontend.namespaceRPS.visibility': 100,
  // A drained version shows DRAINED within seconds instead of 3 + 3 minutes (the rollout checks it).
  'matching.wv.VersionDrainageStatusRefreshInterval': '2s',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '2s',
};

export interface WrittenServerConfig {
  /** `--root` of the server; its config is `<root>/config/cluster.yaml` (`--env cluster`). */
  root: string;
  frontendAddress: string;
}

export async function writeServerConfig(
  root: string,
  options: { shards: number; postgres: RunningPostgres; logLevel?: string },
): Promise<WrittenServerConfig> {
  const { postgres: pg } = options;
  const taken = new Set<number>();
  const ports = {} as Record<(typeof SERVICES)[number], { grpc: number; membership: number }>;
  for (const s of SERVICES) ports[s] = { grpc: await smallPort(taken), membership: await smallPort(taken) };
  const httpPort = await smallPort(taken);
  const frontendAddress = `127.0.0.1:${ports.frontend.grpc}`;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: '', // trust authentication on loopback
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  mkdirSync(join(root, 'config'), { recursive: true });
  const dynamicConfigPath = join(root, 'config', 'dynamic.yaml');
  const config = {
    log: { stdout: true, level: options.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.shards,
      datastores: {
        'postgres-default': store(DATABASES.default, 20),
        'postgres-visibility': store(DATABASES.visibility, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(
      SERVICES.map((s) => [
        s,
        {
          rpc: {
            grpcPort: ports[s].grpc,
            membershipPort: ports[s].membership,
            bindOnLocalHost: true,
            ...(s === 'frontend' ? { httpPort } : {}),
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: frontendAddress,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: {
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    },
    dynamicConfigClient: { filepath: dynamicConfigPath, pollInterval: '10s' },
  };
  const dynamic = Object.fromEntries(
    Object.entries(DYNAMIC_CONFIG).map(([key, value]) => [key, [{ value, constraints: {} }]]),
  );
  writeFileSync(join(root, 'config', 'cluster.yaml'), JSON.stringify(config, null, 2));
  writeFileSync(dynamicConfigPath, JSON.stringify(dynamic, null, 2));
  return { root, frontendAddress };
}

/**
 * A free loopback port below 32768: the server records each service's ports in its
 * `cluster_membership` table, whose PostgreSQL columns are `smallint`, so an ephemeral port (what
 * `freePort()` gets from the OS) makes it fail at start.
 */
async function smallPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}
