// A throwaway PostgreSQL for `npm run cluster`: `initdb` into a directory, `postgres` on a free
// loopback port (its unix socket in that directory too), trust authentication for a `temporal`
// superuser. PostgreSQL refuses to run as root: as root it runs as an unprivileged account instead
// (`$CLUSTER_POSTGRES_OS_USER`, else `postgres`, else `nobody`).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../local-tools';
import { logTail, stopper } from './process';

export const POSTGRES_USER = 'temporal';

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  /** Fast shutdown (SIGINT: open connections are closed); safe to call more than once. */
  stop(): Promise<void>;
}

/** `atExit` gets the stop as soon as the process exists, so that an interruption stops it too. */
export async function startPostgres(
  dir: string,
  { log, atExit }: { log: (line: string) => void; atExit: (stop: () => Promise<void>) => void },
): Promise<RunningPostgres> {
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  const logFile = join(dir, 'postgres.log');
  mkdirSync(sockets, { recursive: true });
  const account = process.getuid?.() === 0 ? unprivilegedAccount() : undefined;
  if (account) {
    log(`running as root: PostgreSQL runs as "${account.name}" (uid ${account.uid})`);
    chmodSync(dirname(dir), 0o711); // it must reach its directory, not list our temp dir
    for (const path of [dir, sockets]) chownSync(path, account.uid, account.gid);
  }
  const as: SpawnOptions = account ? { uid: account.uid, gid: account.gid } : {};
  const output = () => openSync(logFile, 'a');

  await run('initdb', ['-D', data, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--locale=C'], {
    ...as,
    stdio: ['ignore', output(), output()],
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${logTail(logFile)}`);
  });

  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', sockets, '-c', 'listen_addresses=127.0.0.1'];
  // Every Temporal service (4 in one process) opens its own pools to both databases.
  args.push('-c', 'max_connections=300');
  const child = spawn('postgres', args, { ...as, stdio: ['ignore', output(), output()] });
  const stop = stopper(child, 'SIGINT'); // SIGINT: PostgreSQL's fast shutdown
  atExit(stop);
  try {
    await waitReady(child, port, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`PostgreSQL on 127.0.0.1:${port} (data in ${data})`);
  return { host: '127.0.0.1', port, user: POSTGRES_USER, stop };
}

function unprivilegedAccount(): { name: string; uid: number; gid: number } {
  const wanted = [process.env.CLUSTER_POSTGRES_OS_USER, 'postgres', 'nobody'].filter(Boolean);
  const accounts = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 4);
  for (const name of wanted) {
    const f = accounts.find((a) => a[0] === name);
    if (f && Number(f[2]) !== 0) return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(
    `running as root, and none of ${wanted.join(', ')} is an unprivileged account to run PostgreSQL as; ` +
      'set CLUSTER_POSTGRES_OS_USER to one',
  );
}

function run(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code ?? signal}`)),
    );
  });
}

async function waitReady(child: ChildProcess, port: number, logFile: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const ready = await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    }).then(
      () => true,
      () => false,
    );
    if (ready) return;
    await sleep(200);
  }
  throw new Error(`PostgreSQL did not start on port ${port}\n${logTail(logFile)}`);
}
