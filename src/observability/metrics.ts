// Prometheus metrics through the SDK's own exporter: Runtime.install with `prometheus.bindAddress` makes
// the SDK core serve `/metrics` with its runtime metrics (temporal_*: polls, task latencies, slots) and
// every metric made on the runtime's meter: the workflow meter (workflow-metrics.ts), the activity
// meter (partner-calls.ts) and the step gauge (step-gauge.ts). Names: metric-names.ts.
import type { MetricsExporterConfig } from '@temporalio/worker';
import { HISTOGRAM_BUCKETS } from './metric-names';

export function prometheusExporter(bindAddress: string): MetricsExporterConfig {
  // The buckets are set by metric name: the defaults (milliseconds up to 10 000) suit neither steps
  // that last weeks nor values in seconds.
  return { prometheus: { bindAddress, histogramBucketOverrides: HISTOGRAM_BUCKETS } };
}
