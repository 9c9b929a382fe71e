// Finds a Temporal CLI binary to run the dev server from, on machines with or without internet.
// Order: TEMPORAL_CLI_PATH -> `temporal` on PATH -> cached build -> the SDK's download -> `go install`.
// Progress goes to stderr so that scripts can keep stdout for the result.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isExecutable, userCacheDir } from './local-tools';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'sdk-download' | 'go-install';

export interface ResolvedTemporalCli {
  path: string;
  source: TemporalCliSource;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Skip the SDK download attempt (it needs temporal.download to be reachable). */
  trySdkDownload?: boolean;
}

/** Per-user cache directory, outside any checkout: `$TEMPORAL_CLI_CACHE_DIR` or `~/.cache/<project>/temporal-cli-<v>`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(`temporal-cli-${TEMPORAL_CLI_VERSION}`, env.TEMPORAL_CLI_CACHE_DIR, env);
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<ResolvedTemporalCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`[temporal-cli] ${line}\n`));
  const found = (path: string, source: TemporalCliSource): ResolvedTemporalCli => {
    log(`using ${path} (from ${source})`);
    return { path, source };
  };

  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new Error(
        `TEMPORAL_CLI_PATH is set to "${explicit}", which is not an executable file. Fix or unset it.`,
      );
    }
    return found(explicit, 'TEMPORAL_CLI_PATH');
  }

  const onPath = findOnPath('temporal', env);
  if (onPath) return found(onPath, 'PATH');

  const dir = cacheDir(env);
  const cached = join(dir, 'temporal');
  if (isExecutable(cached)) return found(cached, 'cache');

  if (options.trySdkDownload !== false) {
    const downloaded = await trySdkDownload(dir, log);
    if (downloaded) return found(downloaded, 'sdk-download');
  }

  if (findOnPath('go', env)) {
    await goInstall(dir, env, log);
    if (isExecutable(cached)) return found(cached, 'go-install');
  }

  throw new Error(
    [
      'No Temporal CLI found. Any one of these fixes it:',
      '  - set TEMPORAL_CLI_PATH to a `temporal` binary (v1.5.1 or newer),',
      '  - put `temporal` on PATH (https://docs.temporal.io/cli),',
      `  - install Go 1.25+ and run \`npm run temporal:ensure\` (builds ${GO_PACKAGE} into ${dir}),`,
      '  - or allow access to temporal.download so the Temporal SDK can download it.',
    ].join('\n'),
  );
}

/**
 * Lets the SDK download its default CLI into our cache dir (only works with internet access), then
 * returns the downloaded binary. Failing fast matters: machines without internet must fall through.
 */
async function trySdkDownload(dir: string, log: (line: string) => void): Promise<string | undefined> {
  if (!(await reachable('https://temporal.download/', 3000))) {
    log('temporal.download is not reachable; skipping the SDK download');
    return undefined;
  }
  const downloadDir = join(dir, 'sdk-download');
  mkdirSync(downloadDir, { recursive: true });
  log(`downloading the dev server through the Temporal SDK into ${downloadDir}`);
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir },
        log: { format: 'json', level: 'error' },
      },
    });
    await env.teardown();
  } catch (err) {
    log(`SDK download failed: ${(err as Error).message}`);
    return undefined;
  }
  return findExecutableIn(downloadDir);
}

function findExecutableIn(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const nested = findExecutableIn(path);
      if (nested) return nested;
    } else if (entry.name.startsWith('temporal') && isExecutable(path)) {
      return path;
    }
  }
  return undefined;
}

async function reachable(url: string, timeoutMs: number): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** Builds the CLI from the Go module proxy into a scratch GOBIN, then moves it into place atomically. */
async function goInstall(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const scratch = `${dir}.build-${process.pid}`;
  mkdirSync(scratch, { recursive: true });
  log(
    `building ${GO_PACKAGE} with \`go install\`; the first build takes a few minutes, later runs reuse ${dir}`,
  );
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('go', ['install', GO_PACKAGE], {
      env: { ...env, GOBIN: scratch, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const built = join(scratch, 'temporal');
  if (code !== 0 || !existsSync(built)) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`\`go install ${GO_PACKAGE}\` failed (exit ${code}); see the output above.`);
  }
  mkdirSync(dir, { recursive: true });
  renameSync(built, join(dir, 'temporal'));
  rmSync(scratch, { recursive: true, force: true });
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}
