# syntax=docker/dockerfile:1

# ---- build: compiles TypeScript and better-sqlite3's native addon (needs python3, make, g++) ----
FROM node:20-bookworm AS build
WORKDIR /app

# Dependencies first, so this layer is reused while only the sources change. --ignore-scripts keeps npm ci from
# running our own "prepare" (the build) before the sources are here; better-sqlite3's install script, the only one
# needed at run time, is run on its own (prebuilt binary, or a build from source when none can be downloaded).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
    && npm rebuild better-sqlite3

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
# Build, then drop the dev dependencies. --ignore-scripts: prune must not run "prepare" (tsc is gone by then).
RUN npm run build \
    && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force

# ---- run: only dist/, production node_modules, package.json and config/ ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WIREWATCH_DATA_DIR=/data
WORKDIR /app

# Owned by root and read-only for the bot: it can write only to /data.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config

# The volume is created after the chown, so a new named volume starts out owned by the node user.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node
# Health, readiness and Prometheus metrics (bound to 127.0.0.1 by default: see config/wirewatch.yaml).
EXPOSE 9464

# No curl in the slim image: the CLI asks /healthz itself. Shell form so that any failure maps to 1 (Docker
# reserves exit code 2, which a usage error would give).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD node dist/cli.js health || exit 1

# Node runs as PID 1 (the base entrypoint execs it) and handles SIGTERM/SIGINT itself: it stops polling, finishes
# the alert being sent and closes the database. `docker run --init` works too but is not needed.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/cli.js", "run"]
