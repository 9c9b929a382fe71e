// Finds or builds the Temporal server and its SQL schema tool (`npm run cluster` runs them on
// PostgreSQL). Built once with `go install` into the per-user cache, as the CLI is (temporal-cli.ts).
// Newer than the server the CLI's dev server embeds (1.29.1): Worker Versioning's upgrade on
// continue-as-new (a pinned run told that a newer target version waits, `initialVersioningBehavior`)
// is in the server from 1.30 and on by default in 1.32 (`system.enableSendTargetVersionChanged`);
// `--rollout` needs it. 1.32.1 is the newest the supported Go (1.26.8, no toolchain download) builds:
// 1.32.2's go.mod asks for go 1.26.10. The schema files are read from the Go module cache, which the
// build fills, rather than copied into this repository.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable, userCacheDir } from './local-tools';

export const TEMPORAL_SERVER_VERSION = '1.32.1';
const MODULE = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;
/** Package -> the name we give its binary (`go install` would name them `server` and `sql`). */
const BINARIES = {
  'go.temporal.io/server/cmd/server': { built: 'server', name: 'temporal-server' },
  'go.temporal.io/server/cmd/tools/sql': { built: 'sql', name: 'temporal-sql-tool' },
} as const;

export interface ResolvedTemporalServer {
  server: string;
  sqlTool: string;
  /** `schema/postgresql/v12` of the server module: `temporal/` and `visibility/`, each with `versioned/`. */
  postgresSchemaDir: string;
  /** How long `go install` took in this call; 0 when the cached build was used. */
  buildMs: number;
}

/** `$TEMPORAL_SERVER_CACHE_DIR` or `~/.cache/<project>/temporal-server-<v>`. */
export function serverCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(`temporal-server-${TEMPORAL_SERVER_VERSION}`, env.TEMPORAL_SERVER_CACHE_DIR, env);
}

export async function resolveTemporalServer(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<ResolvedTemporalServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`[temporal-server] ${line}\n`));
  const dir = serverCacheDir(env);
  const server = join(dir, BINARIES['go.temporal.io/server/cmd/server'].name);
  const sqlTool = join(dir, BINARIES['go.temporal.io/server/cmd/tools/sql'].name);
  let buildMs = 0;
  if (isExecutable(server) && isExecutable(sqlTool)) {
    log(`using the cached build in ${dir}`);
  } else {
    const started = Date.now();
    await goInstall(dir, env, log);
    buildMs = Date.now() - started;
    log(`built in ${Math.round(buildMs / 1000)} s`);
  }
  return { server, sqlTool, postgresSchemaDir: await schemaDir(env), buildMs };
}

/** Builds both binaries into a scratch GOBIN, then moves them into place (a half build is never used). */
async function goInstall(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const scratch = `${dir}.build-${process.pid}`;
  mkdirSync(scratch, { recursive: true });
  const packages = Object.keys(BINARIES).map((p) => `${p}@v${TEMPORAL_SERVER_VERSION}`);
  log(`building ${packages.join(' and ')} with \`go install\`; the first build takes minutes`);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('go', ['install', ...packages], {
        env: { ...env, GOBIN: scratch, CGO_ENABLED: '0' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    const built = Object.values(BINARIES).map((b) => ({ ...b, path: join(scratch, b.built) }));
    if (code !== 0 || !built.every((b) => existsSync(b.path))) {
      throw new Error(`\`go install\` of ${MODULE} failed (exit ${code}); see the output above.`);
    }
    mkdirSync(dir, { recursive: true });
    for (const b of built) renameSync(b.path, join(dir, b.name));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The module's directory in the Go module cache (downloaded if missing: the build needs it anyway). */
async function schemaDir(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', MODULE], {
    env,
    cwd: tmpdir(), // outside any Go module, whatever the caller's directory
  });
  const { Dir } = JSON.parse(stdout) as { Dir?: string };
  const dir = Dir && join(Dir, 'schema', 'postgresql', 'v12');
  if (!dir || !existsSync(join(dir, 'temporal', 'versioned'))) {
    throw new Error(`no PostgreSQL schema in ${Dir ?? `the module cache for ${MODULE}`}`);
  }
  return dir;
}
