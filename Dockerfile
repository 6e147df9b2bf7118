# syntax=docker/dockerfile:1
# capacity's image: the compiled CLI, its production dependencies and the files it reads at run
# time (queries/, reports/, data/, docs/), run by tini as a non-root numeric user. It writes only
# to its working directory /data (the DuckDB history and the reports: mount a volume there) and
# to TMPDIR (/tmp: the Prometheus spool; mount an emptyDir or a tmpfs), so the root filesystem
# can be read-only. test/unit/deploy-image.test.ts checks these rules.
#
# The base is pinned by exact tag (Node 24 LTS on Debian trixie). To pin the digest as well, take
# it from the registry when you build, never from memory:
#   docker buildx imagetools inspect node:24.20.0-trixie-slim
# and write both, e.g. FROM node:24.20.0-trixie-slim@sha256:<index digest>.

FROM node:24.20.0-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24.20.0-trixie-slim AS runtime
# tini as PID 1: it forwards SIGTERM and SIGINT to node (so the run rolls back and exits with
# 143 or 130 when the Job's deadline stops it) and reaps zombies. Node as PID 1 would ignore a
# SIGTERM that arrives before its own handlers are installed.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY queries ./queries
COPY reports ./reports
COPY data ./data
COPY docs ./docs
COPY capacity.example.yaml ./
# The data volume's mount point, owned by the run's user so that `docker run` works without one.
RUN mkdir -p /data && chown 10001:10001 /data
ENV HOME=/tmp TMPDIR=/tmp
WORKDIR /data
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/cli/bin.js"]
CMD ["run", "--config", "/etc/capacity/capacity.yaml"]
