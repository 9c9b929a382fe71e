// Finds Temporal's Java time-skipping test server for `TestWorkflowEnvironment.createTimeSkipping`
// (`existing-path`), on machines that cannot reach temporal.download: TEMPORAL_TEST_SERVER_PATH, else a
// per-user cache that is built once from Maven Central (needs java and mvn). Progress goes to stderr so
// that scripts can keep stdout for the result.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { freePort, isExecutable, userCacheDir } from './local-tools';

// Maven Central had 1.39.0 (its maven-metadata.xml still named 1.38.0 as the latest release).
export const TEMPORAL_TEST_SERVER_VERSION = '1.39.0';
const ARTIFACT = `io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION}`;
const WRAPPER = 'temporal-test-server';
/** AppCDS archive of the classes the server loads while starting and answering its first call. */
const ARCHIVE = 'classes.jsa';
const MIN_JAVA = 11;
/** `-XX:ArchiveClassesAtExit` exists from JDK 13 on. */
const MIN_JAVA_FOR_ARCHIVE = 13;

export interface ResolveTestServerOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** `$TEMPORAL_TEST_SERVER_CACHE_DIR`, or `~/.cache/<project>/temporal-test-server-<v>` (outside any checkout). */
export function testServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(
    `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`,
    env.TEMPORAL_TEST_SERVER_CACHE_DIR,
    env,
  );
}

export async function resolveTimeSkippingServer(
  options: ResolveTestServerOptions = {},
): Promise<{ path: string }> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`[temporal-test-server] ${line}\n`));

  const explicit = env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new Error(
        `TEMPORAL_TEST_SERVER_PATH is set to "${explicit}", which is not an executable file. Fix or unset it.`,
      );
    }
    return { path: explicit };
  }

  const dir = testServerCacheDir(env);
  const wrapper = join(dir, WRAPPER);
  // The directory only ever appears complete (renamed into place), so the wrapper means a usable cache.
  if (!isExecutable(wrapper)) await build(dir, env, log);
  log(`using ${wrapper}`);
  return { path: wrapper };
}

const FIX = 'or set TEMPORAL_TEST_SERVER_PATH to a Temporal time-skipping test server executable';

/** Builds the cache in a sibling temp directory, then renames it into place in one step. */
async function build(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const java = javaMajorVersion(env);
  mkdirSync(dirname(dir), { recursive: true });
  removeStaleBuilds(dir);
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    log(`fetching ${ARTIFACT} and its dependencies from Maven Central (once; cached in ${dir})`);
    const started = Date.now();
    writeFileSync(join(tmp, 'pom.xml'), pom());
    const args = ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime'];
    const code = await run('mvn', [...args, `-DoutputDirectory=${join(tmp, 'lib')}`], tmp, env).catch(
      (err: Error) => {
        throw new Error(
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? `mvn not found: install Apache Maven 3.6+ (it downloads ${ARTIFACT}), ${FIX}.`
            : `could not run mvn: ${err.message}`,
        );
      },
    );
    if (code !== 0 || !existsSync(join(tmp, 'lib'))) {
      throw new Error(
        `\`mvn dependency:copy-dependencies\` for ${ARTIFACT} failed (exit ${code}); see its output above. ` +
          `Check access to Maven Central (or a mirror in ~/.m2/settings.xml), ${FIX}.`,
      );
    }
    rmSync(join(tmp, 'target'), { recursive: true, force: true });
    log(`fetched in ${Math.round((Date.now() - started) / 1000)} s`);

    writeFileSync(join(tmp, WRAPPER), wrapperScript(), { mode: 0o755 });
    if (java >= MIN_JAVA_FOR_ARCHIVE) await dumpArchive(tmp, env, log);
    else
      log(`java ${java} cannot write a CDS archive (needs ${MIN_JAVA_FOR_ARCHIVE}+); start-up stays slower`);

    const { child, port, ms } = await startServer(join(tmp, WRAPPER), env);
    await stop(child, 'SIGKILL'); // as the SDK does
    if (await accepts(port))
      throw new Error(`${WRAPPER} left its JVM running after SIGKILL: it must exec java`);
    log(`the server accepts connections ${ms} ms after start (the Temporal SDK waits at most 5 s)`);

    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished the same build first; its copy is just as good.
      if (!isExecutable(join(dir, WRAPPER))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Leftovers of builds that were killed; an hour is far longer than any live build takes. */
function removeStaleBuilds(dir: string): void {
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of readdirSync(dirname(dir))) {
    const path = join(dirname(dir), name);
    if (name.startsWith(prefix) && Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

function javaMajorVersion(env: NodeJS.ProcessEnv): number {
  const result = spawnSync('java', ['-version'], { env, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      (result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `java not found: install a JDK ${MIN_JAVA}+ (17 or 21 recommended), ${FIX}.`
        : `could not run java: ${result.error.message}`,
    );
  }
  // `version "17.0.15"`, or `version "1.8.0_392"` up to Java 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MIN_JAVA)) {
    throw new Error(
      `java on PATH is version ${match ? major : 'unknown'}; install a JDK ${MIN_JAVA}+ (17 or 21 recommended), ${FIX}.`,
    );
  }
  return major;
}

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- Written by dev/temporal-test-server.ts only to fetch the test server's runtime classpath. -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.temporal-test-server</groupId>
  <artifactId>fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <!-- slf4j without a backend prints a warning on every start; this backend discards the logs. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * `exec` matters: the SDK stops the server by SIGKILLing the process it spawned, which must be the JVM.
 * The classpath is relative (after `cd`) because a CDS archive only matches the exact classpath it was
 * written with, and the archive is written before the directory is renamed into place. The JVM flags
 * cut start-up work (C1 only, one GC thread), since the SDK gives the server 5 s to accept connections.
 */
function wrapperScript(): string {
  return `#!/bin/sh
# Temporal's Java time-skipping test server ${TEMPORAL_TEST_SERVER_VERSION}, written by dev/temporal-test-server.ts.
# Usage: ${WRAPPER} <port> [--enable-time-skipping]
cd -- "$(dirname -- "$0")" || exit 1
if [ -f ${ARCHIVE} ]; then cds=-XX:SharedArchiveFile=${ARCHIVE}; else cds=; fi
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto $cds -cp 'lib/*' io.temporal.testserver.TestServer "$@"
`;
}

/**
 * Runs the server once with `-XX:ArchiveClassesAtExit`, makes one gRPC call so the request path is
 * archived too, and stops it gracefully (the archive is written at exit). Best effort: without the
 * archive the server still works, only slower to start.
 */
async function dumpArchive(dir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const options = `${env.JAVA_TOOL_OPTIONS ?? ''} -XX:ArchiveClassesAtExit=${ARCHIVE}`.trim();
  try {
    const { child, port } = await startServer(join(dir, WRAPPER), { ...env, JAVA_TOOL_OPTIONS: options });
    try {
      const { Connection } = await import('@temporalio/client');
      const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
      await connection.close();
    } finally {
      await stop(child, 'SIGTERM');
    }
  } catch (err) {
    log(`could not write the CDS archive (start-up stays slower): ${(err as Error).message}`);
  }
  if (!existsSync(join(dir, ARCHIVE))) log('no CDS archive was written; start-up stays slower');
}

const STARTUP_LIMIT_MS = 30_000;

/** Starts the wrapper on a free port and resolves once the port accepts connections. */
async function startServer(
  path: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number; ms: number }> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(path, [String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  child.on('error', (err) => (exited = `could not start (${err.message})`));
  while (!exited && Date.now() - started < STARTUP_LIMIT_MS) {
    if (await accepts(port)) return { child, port, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 20));
  }
  await stop(child, 'SIGKILL');
  throw new Error(
    `the test server ${exited ?? `did not accept connections within ${STARTUP_LIMIT_MS / 1000} s`}: ${path} ${port}\n${output}`,
  );
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  if (gone) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // mvn's stdout goes to our stderr: stdout is reserved for the resolved path.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 2, 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}
