// The worker process's Temporal runtime: logger, core log forwarding and the metrics exporter. Installed
// once, before any connection (a connection made first would install the default runtime instead).
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { createLogger } from './logging';
import { prometheusExporter } from './metrics';
import type { ObservabilityOptions } from './options';

export function installWorkerRuntime(options: ObservabilityOptions): Runtime {
  const logger = createLogger(options.logFormat, options.logLevel);
  // The SDK core says little worth reading at INFO; below, it follows LOG_LEVEL.
  const core = options.logLevel === 'INFO' ? 'WARN' : options.logLevel;
  return Runtime.install({
    logger,
    telemetryOptions: {
      // Core's own lines go through the same logger, so every line has the same format.
      logging: { forward: {}, filter: makeTelemetryFilterString({ core }) },
      ...(options.metricsBindAddress ? { metrics: prometheusExporter(options.metricsBindAddress) } : {}),
    },
    // worker.ts handles SIGINT/SIGTERM itself: its shutdown, then the health server's, in that order.
    shutdownSignals: [],
  });
}
