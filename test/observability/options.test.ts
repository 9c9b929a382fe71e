import { observabilityOptionsFromEnv } from '../../src/observability/options';

test('defaults: no health server, no metrics, 30 s of grace, text logs, no step gauge', () => {
  expect(observabilityOptionsFromEnv({})).toEqual({
    healthHost: '0.0.0.0',
    shutdownGraceTimeMs: 30_000,
    logFormat: 'text',
    logLevel: 'INFO',
    stepGauge: false,
  });
  const off = observabilityOptionsFromEnv({ WORKER_HEALTH_PORT: '0', METRICS_BIND_ADDRESS: 'off' });
  expect([off.healthPort, off.metricsBindAddress]).toEqual([undefined, undefined]);
});

test('every variable is read', () => {
  const options = observabilityOptionsFromEnv({
    WORKER_HEALTH_PORT: '8081',
    WORKER_HEALTH_HOST: '127.0.0.1',
    METRICS_BIND_ADDRESS: '0.0.0.0:9464',
    WORKER_SHUTDOWN_GRACE_TIME: '2m',
    LOG_FORMAT: 'JSON',
    LOG_LEVEL: 'debug',
    STEP_GAUGE: 'on',
  });
  expect(options).toEqual({
    healthPort: 8081,
    healthHost: '127.0.0.1',
    metricsBindAddress: '0.0.0.0:9464',
    shutdownGraceTimeMs: 120_000,
    logFormat: 'json',
    logLevel: 'DEBUG',
    stepGauge: true,
  });
  expect(observabilityOptionsFromEnv({ WORKER_SHUTDOWN_GRACE_TIME: '500ms' }).shutdownGraceTimeMs).toBe(500);
  expect(observabilityOptionsFromEnv({ METRICS_BIND_ADDRESS: '[::]:9464' }).metricsBindAddress).toBe(
    '[::]:9464',
  );
});

test('bad values are all reported, each by its variable', () => {
  const run = () =>
    observabilityOptionsFromEnv({
      WORKER_HEALTH_PORT: 'http',
      METRICS_BIND_ADDRESS: '9464',
      WORKER_SHUTDOWN_GRACE_TIME: '30',
      LOG_FORMAT: 'yaml',
      LOG_LEVEL: 'loud',
      STEP_GAUGE: 'yes',
    });
  expect(run).toThrow(/^Invalid configuration in environment variables:/);
  const message = (() => {
    try {
      run();
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  })();
  for (const name of [
    'WORKER_HEALTH_PORT',
    'METRICS_BIND_ADDRESS',
    'WORKER_SHUTDOWN_GRACE_TIME',
    'LOG_FORMAT',
    'LOG_LEVEL',
    'STEP_GAUGE',
  ]) {
    expect(message).toMatch(new RegExp(`^  ${name}: `, 'm'));
  }
  expect(message).toContain('e.g. 30s'); // a bare number is ambiguous: the unit is asked for
});

test('the step gauge needs the metrics exporter', () => {
  expect(() => observabilityOptionsFromEnv({ STEP_GAUGE: 'on' })).toThrow(
    /STEP_GAUGE: "on" needs METRICS_BIND_ADDRESS/,
  );
});
