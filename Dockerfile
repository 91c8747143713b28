# One container: the API serving the built portal, SQLite under the /data volume.
#   docker build -t entra-backup .
#   docker run -d --name entra-backup -p 3000:3000 -p 8443:8443 -v entra-backup-data:/data entra-backup
# The README's "Container" section has the details; CI builds and runs this file with buildah and
# podman (scripts/container/check.sh). No `# syntax=` line: BuildKit would fetch a frontend image,
# which breaks builds without registry access.

# Any Debian-based Node 20 image with Node in /usr/local and a `node` user (uid 1000). CI builds a
# local stand-in from Debian packages and the npm registry (scripts/container/node-base-image.sh).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source: it needs a toolchain and the Node headers that ship in the
# image (/usr/local/include/node), so node-gyp never downloads them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    NG_CLI_ANALYTICS=false
WORKDIR /app
# The lockfile is valid for the npm that Node 20 bundles (10.8), which this step proves.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Only production dependencies go on, and of better-sqlite3's native build only the addon itself:
# its object files, the bundled SQLite sources and the test extension (about 27 MB) stay behind.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && cd node_modules/better-sqlite3 \
  && rm -rf deps src binding.gyp \
  && find build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
  && find build/Release -mindepth 1 -maxdepth 1 ! -name better_sqlite3.node -exec rm -rf {} + \
  && test -f build/Release/better_sqlite3.node

FROM ${NODE_IMAGE} AS runtime
# NODE_OPTIONS caps V8's old generation for the server and the CLI alike (see bin/entra-backup.js):
# backups stream, so their live data stays small, and without a cap V8 grows the heap with garbage
# up to a limit derived from the host's memory.
# In demo mode (no AZURE_CLIENT_ID) the built-in emulator listens on all of the container's
# interfaces, so the sign-in page at https://127.0.0.1:8443 is reachable through a published port.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8" \
    ENTRA_BACKUP_DATA_DIR=/data \
    ENTRA_BACKUP_DEMO_HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The image's unprivileged `node` user owns only the data directory; the code stays read-only.
# `entra-backup` (the CLI) is on the PATH for `docker exec`.
RUN mkdir -p /data \
  && chown node:node /data \
  && ln -s /app/bin/entra-backup.js /usr/local/bin/entra-backup
USER node
VOLUME /data
EXPOSE 3000 8443
# The slim image has no curl: ask Node itself (global fetch) whether /api/health answers 200.
# Kept by the Docker image format (`buildah bud --format docker`); the OCI format drops it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs as PID 1 and needs no init process: it handles SIGTERM and SIGINT itself (closes the
# app, stops the demo emulator, exits 0) and starts no child processes that would need reaping.
CMD ["node", "dist/server/apps/api/src/main.js"]
