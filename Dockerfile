# syntax=docker/dockerfile:1
# One image, three programs: the worker (default), the onboarding service, the codec server; and a
# `simulator` target for local clusters. Built with the prebuilt workflow bundle, so workers never
# run webpack at start-up; runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
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

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/lib ./lib
USER node
# Worker: health on 8081 (/healthz, /readyz), Prometheus metrics on 9464 (/metrics).
ENV WORKER_HEALTH_PORT=8081 METRICS_BIND_ADDRESS=0.0.0.0:9464 LOG_FORMAT=json
# Two malloc arenas instead of eight per core: the SDK's threads otherwise fragment native memory,
# about 40 MiB more RSS with 1000 parked onboardings (docs/demo-and-bench.md, "Worker memory").
ENV MALLOC_ARENA_MAX=2
EXPOSE 8081 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.WORKER_HEALTH_PORT || 8081) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Other programs of the same image: `node lib/onboarding-service.js`, `node lib/temporal/codec-server.js`.
CMD ["node", "lib/worker.js"]
