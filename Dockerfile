# syntax=docker/dockerfile:1
# One container: the API serving the built portal, SQLite under the /data volume.
#   docker build -t entra-backup .
#   docker run -p 3000:3000 -v entra-backup-data:/data entra-backup
# Set DATABASE_URL=postgres://... to use PostgreSQL instead of SQLite.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source: it needs a toolchain and the Node headers that ship in
# the image (/usr/local/include/node), so node-gyp never downloads them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    NG_CLI_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# NODE_OPTIONS caps V8's old generation for the server and the CLI alike (see bin/entra-backup.js):
# backups stream, so their live data stays small, and without a cap V8 grows the heap with garbage
# up to a limit derived from the host's memory.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8" \
    ENTRA_BACKUP_DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The image's unprivileged `node` user owns only the data directory; the code stays read-only.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# The slim image has no curl: ask Node itself (global fetch) whether /api/health answers 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/apps/api/src/main.js"]
