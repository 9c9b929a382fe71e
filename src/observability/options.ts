// The worker's observability settings from the environment, checked at start-up: every bad value is
// reported at once, named by its variable, in the format of src/config/ (which calls this parser).
import type { LogLevel } from '@temporalio/common';

export interface ObservabilityOptions {
  /** Port of `/healthz` and `/readyz`; undefined: no health server. */
  healthPort?: number;
  /** Host the health server listens on (all interfaces: the kubelet probes the pod's IP). */
  healthHost: string;
  /** `host:port` of the SDK's Prometheus exporter (`/metrics`); undefined: no metrics. */
  metricsBindAddress?: string;
  /** How long in-flight activities may run on after SIGTERM before they are told to stop. */
  shutdownGraceTimeMs: number;
  logFormat: 'json' | 'text';
  logLevel: LogLevel;
  /** Refresh the onboardings-per-step gauge from visibility (one replica is enough). */
  stepGauge: boolean;
}

export const DEFAULT_SHUTDOWN_GRACE_TIME_MS = 30_000;
const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

export function observabilityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ObservabilityOptions {
  const problems: string[] = [];
  const bad = (name: string, rule: string) =>
    problems.push(`${name}: ${rule}, got ${JSON.stringify(env[name])}`);
  const value = (name: string) => env[name]?.trim() ?? '';

  const options: ObservabilityOptions = {
    healthHost: value('WORKER_HEALTH_HOST') || '0.0.0.0',
    shutdownGraceTimeMs: DEFAULT_SHUTDOWN_GRACE_TIME_MS,
    logFormat: 'text',
    logLevel: 'INFO',
    stepGauge: false,
  };

  // 0 or unset: off (a probe on a random port would be of no use to anyone).
  const port = value('WORKER_HEALTH_PORT');
  if (port && port !== '0') {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n > 65535)
      bad('WORKER_HEALTH_PORT', 'must be a TCP port (1-65535, 0 or unset: off)');
    else options.healthPort = n;
  }

  const bind = value('METRICS_BIND_ADDRESS');
  if (bind && bind !== 'off') {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(bind);
    if (!m || Number(m[2]) > 65535)
      bad('METRICS_BIND_ADDRESS', 'must be host:port, e.g. 0.0.0.0:9464 (unset: off)');
    else options.metricsBindAddress = bind;
  }

  // A unit is required: a bare "30" could mean seconds or milliseconds.
  const grace = value('WORKER_SHUTDOWN_GRACE_TIME');
  if (grace) {
    const m = /^(\d+)\s*(ms|s|m)$/.exec(grace);
    if (!m) bad('WORKER_SHUTDOWN_GRACE_TIME', 'must be a duration with a unit (ms, s or m), e.g. 30s');
    else options.shutdownGraceTimeMs = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }

  const format = value('LOG_FORMAT').toLowerCase();
  if (format === 'json' || format === 'text') options.logFormat = format;
  else if (format) bad('LOG_FORMAT', 'must be "json" or "text"');

  const level = value('LOG_LEVEL').toUpperCase();
  if (LOG_LEVELS.includes(level as LogLevel)) options.logLevel = level as LogLevel;
  else if (level) bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const gauge = value('STEP_GAUGE').toLowerCase();
  if (gauge === 'on' || gauge === 'off') options.stepGauge = gauge === 'on';
  else if (gauge) bad('STEP_GAUGE', 'must be "on" or "off"');
  if (options.stepGauge && !options.metricsBindAddress) {
    problems.push('STEP_GAUGE: "on" needs METRICS_BIND_ADDRESS (the gauge is exported with the metrics)');
  }

  if (problems.length) {
    throw new Error(
      `Invalid configuration in environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  return options;
}
