// Environment -> typed configuration, validated once at start-up. Each subsystem's variables are a
// schema of their own (this folder, one file each); they are all read here, every problem reported at
// once, named by its variable, then the rules across subsystems are applied (security.ts).
import type { z } from 'zod';
import type { DocumentStoreOptions } from '../documents/store';
import { storeOptionsFromEnv } from '../documents/store-env';
import { observabilityOptionsFromEnv, type ObservabilityOptions } from '../observability/options';
import type { CodecServerSettings } from '../temporal/codec-server';
import { temporalConnectionFromEnv } from '../temporal/connection';
import { codecServerSettings, codecServerVariables } from './codec-server';
import { environmentVariables, type Environment } from './environment';
import { notificationSettings, notificationVariables, type NotificationSettings } from './notifications';
import { onboardingSettings, onboardingVariables, type OnboardingSettings } from './onboarding';
import { partnerSettings, partnerVariables, type PartnerSettings } from './partners';
import { plaintextWarning, securityProblems } from './security';
import { serviceSettings, serviceVariables, type ServiceSettings } from './service';
import { temporalSettings, temporalVariables, type TemporalSettings } from './temporal';
import { problemsOf } from './variables';
import { workerSettings, workerVariables, type WorkerSettings } from './worker';

export { ENVIRONMENTS, type Environment } from './environment';
export type { WorkerDeployment } from './worker';

/** Each subsystem's variables, in the order their problems are reported. */
const SUBSYSTEMS = {
  environment: environmentVariables,
  temporal: temporalVariables,
  worker: workerVariables,
  partners: partnerVariables,
  onboarding: onboardingVariables,
  service: serviceVariables,
  notifications: notificationVariables,
  codecServer: codecServerVariables,
};

type Variables = { [K in keyof typeof SUBSYSTEMS]: z.infer<(typeof SUBSYSTEMS)[K]> };

export interface Config extends WorkerSettings, PartnerSettings {
  /** ONBOARDING_ENV: `local` allows the dev stack's conveniences, `production` refuses them. */
  environment: Environment;
  temporal: TemporalSettings;
  codecServer: CodecServerSettings;
  onboarding: OnboardingSettings;
  /**
   * DOCUMENT_STORE_DIR, DOCUMENT_URLS, DOCUMENT_URL_HOSTS, DOCUMENT_URLS_ALLOW_LOOPBACK, DOCUMENT_MAX_BYTES
   * (documents/store-env.ts): with ONBOARDING_ENV=production, URL sources need DOCUMENT_URL_HOSTS.
   */
  documents: DocumentStoreOptions;
  /** WORKER_HEALTH_PORT/HOST, METRICS_BIND_ADDRESS, WORKER_SHUTDOWN_GRACE_TIME, LOG_FORMAT, LOG_LEVEL, STEP_GAUGE. */
  observability: ObservabilityOptions;
  service: ServiceSettings;
  notifications: NotificationSettings;
}

export interface LoadConfigOptions {
  /** Where start-up warnings go (stderr by default). */
  warn?: (line: string) => void;
}

/** Every subsystem's variables, or the problems of all of them. */
function readSubsystems(env: NodeJS.ProcessEnv): { variables?: Variables; problems: string[] } {
  const problems: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(SUBSYSTEMS)) {
    const parsed = schema.safeParse(env);
    if (parsed.success) variables[name] = parsed.data;
    else problems.push(...problemsOf(parsed.error));
  }
  return problems.length ? { problems } : { variables: variables as Variables, problems };
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { warn = (line) => console.error(line) }: LoadConfigOptions = {},
): Config {
  const { variables: v, problems } = readSubsystems(env);
  const temporal = temporalConnectionFromEnv(env);
  if ('problems' in temporal) problems.push(...temporal.problems);
  const all = v && {
    ...v.environment,
    ...v.temporal,
    ...v.partners,
    ...v.onboarding,
    ...v.notifications,
  };
  if (all) problems.push(...securityProblems(all, env));
  if (!v || !all || !('connection' in temporal) || problems.length) {
    throw new Error(
      `Invalid configuration in environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const warning = plaintextWarning(all);
  if (warning) warn(warning);
  // Production without DOCUMENT_URL_HOSTS (while URLs are on) was refused above.
  const local = v.environment.ONBOARDING_ENV === 'local';
  const { connection } = temporal;
  const documents = storeOptionsFromEnv(env, { local });
  return {
    environment: v.environment.ONBOARDING_ENV,
    temporal: temporalSettings(v.temporal, connection),
    codecServer: codecServerSettings(v.codecServer, { namespace: connection.namespace }),
    ...workerSettings(v.worker),
    onboarding: onboardingSettings(v.onboarding),
    ...partnerSettings(v.partners),
    documents,
    observability: observabilityOptionsFromEnv(env),
    service: serviceSettings(v.service),
    notifications: notificationSettings(v.notifications, { local }),
  };
}
