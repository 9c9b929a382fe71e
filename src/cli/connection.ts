// One Temporal client per command, from the same configuration as the worker (address, namespace, TLS,
// API key, task queue, payload encryption), closed when the command ends.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { clientConnectionOptions } from '../temporal/connection';
import { dataConverterFor } from '../temporal/data-converter';

/** What commands need of the configuration besides the connection. */
export interface CliSettings {
  taskQueue?: string;
  idKey: string;
}

export async function withClient<T>(fn: (client: Client, settings: CliSettings) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await Connection.connect(clientConnectionOptions(config.temporal.connection));
  try {
    return await fn(
      new Client({
        connection,
        namespace: config.temporal.namespace,
        dataConverter: dataConverterFor(config),
      }),
      { taskQueue: config.temporal.taskQueue, idKey: config.onboarding.idKey },
    );
  } finally {
    await connection.close();
  }
}
