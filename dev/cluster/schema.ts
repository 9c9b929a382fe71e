// Creates Temporal's two PostgreSQL databases with its own schema tool, as an operator would: the
// `temporal` (history shards, executions, task queues, namespaces) and `temporal_visibility` (what
// List/Count queries and search attributes read) databases, each set up at version 0.0 and then
// migrated through every versioned step the server module ships.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningPostgres } from './postgres';

export const DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

export async function setupSchemas(
  sqlTool: string,
  postgresSchemaDir: string,
  pg: RunningPostgres,
  log: (line: string) => void,
): Promise<void> {
  const targets = [
    { db: DATABASES.default, dir: join(postgresSchemaDir, 'temporal', 'versioned') },
    { db: DATABASES.visibility, dir: join(postgresSchemaDir, 'visibility', 'versioned') },
  ];
  for (const { db, dir } of targets) {
    const tool = async (...args: string[]) => {
      const common = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user];
      await promisify(execFile)(sqlTool, [...common, '--db', db, ...args]).catch(
        (err: Error & { stderr?: string }) => {
          throw new Error(`temporal-sql-tool ${args[0]} on ${db} failed: ${err.stderr || err.message}`);
        },
      );
    };
    await tool('create-database', '--defaultdb', 'postgres');
    await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', dir);
    log(`database ${db} created and migrated`);
  }
}
