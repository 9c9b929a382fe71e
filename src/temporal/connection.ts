// Where and how to reach Temporal, by Temporal's own conventions (@temporalio/envconfig): the
// TEMPORAL_* variables, over an optional TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), so the
// worker, the service, the CLI and the `temporal` CLI read one configuration. Checked at start-up: a
// half-configured TLS setup or an API key headed for a plaintext remote address is refused by name.
import { existsSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import {
  loadClientConfigProfile,
  toClientOptions,
  type ClientConfigProfile,
  type ConfigDataSource,
} from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export const DEFAULT_ADDRESS = 'localhost:7233';
export const DEFAULT_NAMESPACE = 'default';

export interface TemporalConnection {
  address: string;
  namespace: string;
  apiKey?: string;
  /** Undefined: plaintext (h2c). Certificates are read at start-up. */
  tls?: TLSConfig;
  /** TEMPORAL_GRPC_META_* headers. */
  metadata?: Record<string, string>;
}

/** Settings, or every problem found, each prefixed by the variable (or profile key) to fix. */
export type ConnectionResult = { connection: TemporalConnection } | { problems: string[] };

export function temporalConnectionFromEnv(env: NodeJS.ProcessEnv): ConnectionResult {
  const vars = definedOnly(env);
  const file = vars.TEMPORAL_CONFIG_FILE;
  if (file !== undefined && !existsSync(file)) {
    return { problems: [`TEMPORAL_CONFIG_FILE: ${file} does not exist`] };
  }
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars, configFileStrict: true });
  } catch (err) {
    const message = (err as Error).message;
    const name = /^Profile '/.test(message)
      ? 'TEMPORAL_PROFILE'
      : 'TEMPORAL_CONFIG_FILE (or the default temporal.toml)';
    return { problems: [`${name}: ${message}`] };
  }
  const problems = checkProfile(profile, vars);
  if (problems.length) return { problems };
  // envconfig turns TLS on when an API key is set and TLS is not explicitly disabled (Temporal Cloud).
  const { connectionOptions, namespace } = toClientOptions(profile);
  const tls = connectionOptions.tls;
  return {
    connection: {
      address: connectionOptions.address ?? DEFAULT_ADDRESS,
      namespace: namespace ?? DEFAULT_NAMESPACE,
      apiKey: profile.apiKey,
      tls: tls === true ? {} : tls || undefined,
      metadata: profile.grpcMeta,
    },
  };
}

function checkProfile(profile: ClientConfigProfile, vars: Record<string, string>): string[] {
  // A value present but not in the environment came from the TOML profile: name whichever set it.
  const from = (envNames: string[], tomlKey: string) =>
    envNames.find((n) => vars[n] !== undefined) ?? `${tomlKey} (TOML profile)`;
  const tls = profile.tls ?? {};
  const problems: string[] = [];
  const address = profile.address ?? DEFAULT_ADDRESS;
  if (!/^(\[[^\]]+\]|[^:/\s]+):\d+$/.test(address)) {
    problems.push(
      `${from(['TEMPORAL_ADDRESS'], 'address')}: must be host:port, got ${JSON.stringify(address)}`,
    );
  }
  const cert = ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'];
  const key = ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'];
  if (tls.clientCert && !tls.clientKey) {
    problems.push(`${key[0]}: required with ${from(cert, 'tls.client_cert_path')} (mTLS needs the key too)`);
  }
  if (tls.clientKey && !tls.clientCert) {
    problems.push(
      `${cert[0]}: required with ${from(key, 'tls.client_key_path')} (mTLS needs the certificate too)`,
    );
  }
  const files: [string, ConfigDataSource | undefined][] = [
    [from(cert, 'tls.client_cert_path'), tls.clientCert],
    [from(key, 'tls.client_key_path'), tls.clientKey],
    [from(['TEMPORAL_TLS_SERVER_CA_CERT_PATH'], 'tls.server_ca_cert_path'), tls.serverCACert],
  ];
  for (const [label, source] of files) {
    if (source && 'path' in source && !existsSync(source.path)) {
      problems.push(`${label}: ${source.path} does not exist`);
    }
  }
  const disabled = tls.disabled === true;
  const tlsSwitch = from(['TEMPORAL_TLS'], 'tls.disabled');
  if (disabled && (tls.clientCert || tls.clientKey || tls.serverCACert || tls.serverName)) {
    problems.push(`${tlsSwitch}: disables TLS, but TLS certificates or a server name are configured`);
  }
  if (['true', '1'].includes(vars.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION ?? '')) {
    problems.push(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: not supported by the TypeScript SDK; set TEMPORAL_TLS_SERVER_NAME or TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    );
  }
  // An API key sent in plaintext over a network is a leaked key; to a loopback proxy it is not.
  if (profile.apiKey !== undefined && disabled && !isLoopbackAddress(address)) {
    problems.push(
      `${from(['TEMPORAL_API_KEY'], 'api_key')}: needs TLS towards ${address} (not loopback), but ${tlsSwitch} disables it`,
    );
  }
  return problems;
}

export function clientConnectionOptions(c: TemporalConnection): ConnectionOptions {
  return { address: c.address, tls: c.tls, apiKey: c.apiKey, metadata: c.metadata };
}

export function nativeConnectionOptions(c: TemporalConnection): NativeConnectionOptions {
  return { address: c.address, tls: c.tls, apiKey: c.apiKey, metadata: c.metadata };
}

/** For start-up lines: where, and how secured; never the key itself. */
export function describeConnection(c: TemporalConnection): string {
  const how = [
    c.tls ? (c.tls.clientCertPair ? 'mTLS' : 'TLS') : 'plaintext',
    c.apiKey ? 'API key' : undefined,
  ];
  return `${c.address} (namespace ${c.namespace}, ${how.filter(Boolean).join(', ')})`;
}

/** `host:port` on this machine: localhost, 127.0.0.0/8 or [::1]. */
export function isLoopbackAddress(address: string): boolean {
  const host = /^\[([^\]]+)\]/.exec(address)?.[1] ?? address.split(':')[0] ?? '';
  return isLoopbackHost(host);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
