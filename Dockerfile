# syntax=docker/dockerfile:1
# One build, a target per program, each with its own health check: `worker` (the default, last),
# `service` (the onboarding service), `codec-server`; and a `simulator` target for local clusters.
# Built with the prebuilt workflow bundle, so workers never run webpack at start-up; runs as the
# unprivileged `node` user (uid 1000) with ONBOARDING_ENV=production.
#
# Node.js 24, the Active LTS line (supported until April 2028; 22 is in maintenance until April 2027,
# 20 reached its end of life in April 2026). CI runs the whole test suite on 24 as well. Debian
# bookworm (glibc): @temporalio/core-bridge and @swc/core ship prebuilt glibc binaries.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY dev/build-workflow-bundle.ts ./dev/build-workflow-bundle.ts
RUN npm run build

# The local simulator (dev only): sources run with tsx, so it keeps the dev dependencies.
FROM build AS simulator
COPY simulator ./simulator
USER node
ENV SIMULATOR_HOST=0.0.0.0
EXPOSE 4010
CMD ["npx", "tsx", "simulator/main.ts"]

# What the three programs share; not run by itself (no command of its own, no health check).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production ONBOARDING_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/lib ./lib
# The document store's mount point, owned by `node`, so a new volume mounted there is writable by it.
RUN mkdir /documents && chown node:node /documents
USER node
ENV LOG_FORMAT=json
# Two malloc arenas instead of eight per core: the SDK's threads otherwise fragment native memory,
# about 40 MiB more RSS with 1000 parked onboardings (docs/demo-and-bench.md, "Worker memory").
ENV MALLOC_ARENA_MAX=2

# The onboarding service: /healthz on SERVICE_PORT (/readyz also checks Temporal).
FROM runtime AS service
ENV SERVICE_HOST=0.0.0.0 SERVICE_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.SERVICE_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/onboarding-service.js"]

# The codec server: /healthz on CODEC_SERVER_PORT (no token needed, decodes nothing).
FROM runtime AS codec-server
ENV CODEC_SERVER_HOST=0.0.0.0 CODEC_SERVER_PORT=8888
EXPOSE 8888
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.CODEC_SERVER_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/codec-server.js"]

# The worker (default target): health on 8081 (/healthz, /readyz), Prometheus metrics on 9464.
# A version of the worker deployment (Worker Versioning): its build id is the commit it was built from,
# so each onboarding stays on the image it started on. CI builds with
# `--build-arg GIT_COMMIT=$(git rev-parse HEAD)`; a build without it fails. The deployment name may be
# overridden per environment; the build id comes only from here.
FROM runtime AS worker
ARG GIT_COMMIT
RUN test -n "$GIT_COMMIT" || { echo 'build the worker with --build-arg GIT_COMMIT=$(git rev-parse HEAD)' >&2; exit 1; }
LABEL org.opencontainers.image.revision=$GIT_COMMIT
ENV WORKER_DEPLOYMENT_NAME=circle-onboarding WORKER_BUILD_ID=$GIT_COMMIT
ENV WORKER_HEALTH_PORT=8081 METRICS_BIND_ADDRESS=0.0.0.0:9464
EXPOSE 8081 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.WORKER_HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/worker.js"]
