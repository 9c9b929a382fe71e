// The deploy files as a platform team reviews them: every Kubernetes container non-root, on a read-only
// root file system (with an emptyDir for /tmp), without privilege escalation or capabilities, under the
// runtime's seccomp profile, with requests and limits; the worker sized as docs/worker-memory.md says; the shared
// document volume ReadWriteMany; production everywhere; one health check per image target, on its own
// program's port; an LTS Node.js base image; images by digest, one worker Deployment per version, with
// the build id from the image.
import { REQUESTS_PER_ACTIVITY } from '../../src/partner-api/pacer';
import { TEMPORAL_SERVER_VERSION } from '../../dev/temporal-server';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { heapLimitFor } from '../../src/temporal/memory-budget';

// js-yaml comes with the dev dependencies (ESLint's and Jest's own configuration loaders use it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { loadAll(text: string): unknown[]; load(text: string): unknown };

const root = join(__dirname, '..', '..');
const k8sDir = join(root, 'deploy', 'kubernetes');

interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } }[];
}
interface Doc {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    selector?: { matchLabels?: Record<string, string> };
    accessModes?: string[];
    replicas?: number;
  };
}

const docs: { file: string; doc: Doc }[] = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    yaml
      .loadAll(readFileSync(join(k8sDir, file), 'utf8'))
      .filter(Boolean)
      .map((doc) => ({ file, doc: doc as Doc })),
  );
const workloads = docs.filter(({ doc }) => doc.spec?.template?.spec);
const pods = workloads.map(({ file, doc }) => ({
  file,
  name: doc.metadata.name,
  pod: doc.spec.template!.spec,
}));
const containers = pods.flatMap(({ name, pod }) =>
  [...pod.containers, ...(pod.initContainers ?? [])].map((c) => ({ workload: name, pod, c })),
);
const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** Kubernetes quantities in MiB (Mi, Gi) and CPU in millicores. */
const mib = (q: string) => (q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.replace(/Mi$/, '')));
const millicores = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);

test('the manifests hold the worker, the service and the codec server', () => {
  expect(pods.map((p) => p.name).sort()).toEqual([
    'circle-onboarding-codec-server',
    'circle-onboarding-service',
    'circle-onboarding-worker-BUILD_ID', // one Deployment per version: CI names it
  ]);
});

test.each(pods.map((p) => [p.name, p.pod] as const))('pod %s: non-root, seccomp RuntimeDefault', (_, pod) => {
  expect(pod.securityContext).toMatchObject({
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(pod.securityContext?.runAsUser).not.toBe(0);
});

test.each(containers.map(({ workload, pod, c }) => [`${workload}/${c.name}`, pod, c] as const))(
  'container %s: hardened, sized, production',
  (_, pod, c) => {
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext).not.toHaveProperty('privileged', true);
    expect((c.securityContext?.capabilities as { add?: unknown }).add).toBeUndefined();
    // A writable /tmp on an emptyDir: the only place a read-only root leaves for temporary files.
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(tmp).toBeDefined();
    expect(pod.volumes?.find((v) => v.name === tmp!.name)?.emptyDir).toBeDefined();
    // Requests and limits for CPU and memory, requests within limits.
    const { requests = {}, limits = {} } = c.resources ?? {};
    for (const r of ['cpu', 'memory']) {
      expect(requests[r]).toBeDefined();
      expect(limits[r]).toBeDefined();
    }
    expect(mib(requests.memory!)).toBeLessThanOrEqual(mib(limits.memory!));
    expect(millicores(requests.cpu!)).toBeLessThanOrEqual(millicores(limits.cpu!));
    expect(envOf(c, 'ONBOARDING_ENV')).toBe('production');
    expect(c.readinessProbe).toBeDefined();
    expect(c.livenessProbe).toBeDefined();
  },
);

test('the worker is sized as docs/worker-memory.md says: budget requested, heap limit 40% of it, headroom to the limit', () => {
  const worker = containers.find((x) => x.c.name === 'worker')!.c;
  const budget = Number(envOf(worker, 'WORKER_MEMORY_BUDGET_MB'));
  expect(budget).toBeGreaterThanOrEqual(512);
  expect(envOf(worker, 'NODE_OPTIONS')).toBe(`--max-old-space-size=${heapLimitFor(budget)}`);
  expect(envOf(worker, 'MALLOC_ARENA_MAX')).toBe('2');
  expect(mib(worker.resources!.requests!.memory!)).toBe(budget);
  expect(mib(worker.resources!.limits!.memory!)).toBeGreaterThan(budget);
});

test("the replicas' pace serves the Circle queue's limit, as docs/rate-limits.md sizes it", () => {
  const deployment = workloads.find(
    ({ doc }) => doc.kind === 'Deployment' && /worker/.test(doc.metadata?.name ?? ''),
  )!;
  const worker = containers.find((x) => x.c.name === 'worker')!.c;
  const activities = Number(envOf(worker, 'CIRCLE_TASK_QUEUE_ACTIVITIES_PER_SECOND'));
  const pace = Number(envOf(worker, 'CIRCLE_REQUESTS_PER_SECOND'));
  const replicas = deployment.doc.spec!.replicas!;
  // The queue hands out `activities` a second, about REQUESTS_PER_ACTIVITY requests each; the replicas
  // together must send that many (else requests queue in each pacer and fail fast), and the
  // allowance the queue stands for (4 requests per activity) is not exceeded.
  expect(replicas * pace).toBeGreaterThanOrEqual(activities * REQUESTS_PER_ACTIVITY);
  expect(replicas * pace).toBeLessThanOrEqual(activities * 4);
});

test('the document volume every replica mounts is ReadWriteMany; workers mount it read-only', () => {
  const claims = docs.filter(({ doc }) => doc.kind === 'PersistentVolumeClaim');
  for (const { pod, c } of containers) {
    for (const mount of c.volumeMounts ?? []) {
      const claim = pod.volumes?.find((v) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = claims.find(({ doc }) => doc.metadata.name === claim);
      expect(pvc?.doc.spec.accessModes).toEqual(['ReadWriteMany']);
      if (c.name === 'worker') expect(mount.readOnly).toBe(true);
    }
  }
});

test('images by digest; one worker Deployment per version, its build id from the image', () => {
  for (const { workload, c } of containers) {
    expect([workload, c.image]).toEqual([workload, expect.stringMatching(/@sha256:[0-9a-f]{64}$/)]);
  }
  const workers = docs.filter(
    ({ doc }) =>
      doc.kind === 'Deployment' &&
      doc.metadata.labels?.['app.kubernetes.io/name'] === 'circle-onboarding-worker',
  );
  expect(workers).toHaveLength(1);
  const { doc } = workers[0]!;
  // The version is in the name, the selector and the pods' labels: a new version is a new Deployment.
  expect(doc.metadata.name).toBe('circle-onboarding-worker-BUILD_ID');
  const version = { 'app.kubernetes.io/version': 'BUILD_ID' };
  expect(doc.spec.selector?.matchLabels).toMatchObject(version);
  expect(doc.spec.template?.metadata?.labels).toMatchObject(version);
  const worker = doc.spec.template!.spec.containers[0]!;
  expect(envOf(worker, 'WORKER_DEPLOYMENT_NAME')).toBe('circle-onboarding');
  expect(worker.env?.some((e) => e.name === 'WORKER_BUILD_ID')).toBe(false);
  const budget = docs.find(({ doc }) => doc.kind === 'PodDisruptionBudget')!.doc as unknown as Doc;
  expect(budget.metadata.name).toBe('circle-onboarding-worker-BUILD_ID');
});

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages = text
    .split(/^FROM /m)
    .slice(1)
    .map((s) => ({ from: s.split('\n')[0]!, body: s }));
  const stage = (name: string) => stages.find((s) => new RegExp(` AS ${name}$`).test(s.from))!;
  const baseImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1];

  test('an LTS Node.js image (22 or 24) for the build and the runtime', () => {
    expect(baseImage).toMatch(/^node:(22|24)-/);
    expect(stage('build').from).toMatch(/^\$\{NODE_IMAGE\} AS build/);
    expect(stage('runtime').from).toMatch(/^\$\{NODE_IMAGE\} AS runtime/);
  });

  test.each([
    ['worker', 'lib/worker.js', 'WORKER_HEALTH_PORT'],
    ['service', 'lib/onboarding-service.js', 'SERVICE_PORT'],
    ['codec-server', 'lib/codec-server.js', 'CODEC_SERVER_PORT'],
  ])('target %s runs its program with one health check on its own port', (name, program, port) => {
    const { from, body } = stage(name);
    expect(from).toBe(`runtime AS ${name}`);
    expect(body).toContain(`CMD ["node", "${program}"]`);
    const checks = body.match(/^HEALTHCHECK .*$/gm) ?? [];
    expect(checks).toHaveLength(1);
    expect(checks[0]).toContain(`process.env.${port} + '/healthz'`);
    expect(body).toMatch(new RegExp(`^ENV .*\\b${port}=\\d+`, 'm'));
  });

  test('the worker image carries its build id: the commit it was built from, required', () => {
    const { body } = stage('worker');
    expect(body).toMatch(/^ARG GIT_COMMIT$/m);
    expect(body).toMatch(/^RUN test -n "\$GIT_COMMIT" \|\|/m);
    expect(body).toMatch(/^ENV .*\bWORKER_BUILD_ID=\$GIT_COMMIT\b/m);
    expect(body).toMatch(/^ENV .*\bWORKER_DEPLOYMENT_NAME=\S+/m);
    expect(body).toMatch(/^LABEL org\.opencontainers\.image\.revision=\$GIT_COMMIT$/m);
  });

  test('the shared runtime runs as `node` with ONBOARDING_ENV=production, and has no health check', () => {
    const { body } = stage('runtime');
    expect(body).toMatch(/^ENV .*ONBOARDING_ENV=production/m);
    expect(body).toMatch(/^USER node$/m);
    expect(body).not.toMatch(/^HEALTHCHECK/m);
    // The worker is the default target: the last stage.
    expect(stages.at(-1)!.from).toBe('runtime AS worker');
  });
});

test('compose builds each program from its own target, hardened like the manifests', () => {
  const compose = yaml.load(readFileSync(join(root, 'deploy', 'compose.yaml'), 'utf8')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: { target: string; args?: Record<string, string> };
        read_only?: boolean;
        cap_drop?: string[];
      }
    >;
  };
  for (const name of ['worker', 'service', 'codec-server']) {
    const service = compose.services[name]!;
    expect(service.build?.target).toBe(name);
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
  }
  // The worker's image is tagged with its commit, which is also its build id.
  const worker = compose.services.worker!;
  expect(worker.image).toMatch(/^circle-onboarding-worker:\$\{GIT_COMMIT:\?/);
  expect(worker.build?.args?.GIT_COMMIT).toBe('${GIT_COMMIT}');
});

test("compose runs the Temporal server release the cluster soak and rollout test, with that release's admin tools", () => {
  const compose = yaml.load(readFileSync(join(root, 'deploy', 'compose.yaml'), 'utf8')) as {
    services: Record<string, { image?: string }>;
  };
  const temporalImages = Object.values(compose.services)
    .map((s) => s.image)
    .filter((image): image is string => /^temporalio\/(server|admin-tools|auto-setup):/.test(image ?? ''));
  expect(temporalImages.length).toBeGreaterThanOrEqual(2);
  for (const image of temporalImages)
    expect(image).toMatch(new RegExp(`^temporalio/(server|admin-tools):${TEMPORAL_SERVER_VERSION}$`));
});
