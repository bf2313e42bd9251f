# syntax=docker/dockerfile:1
# MX Guard as a self-hosted GitHub App server (Probot). Build and run:
#   docker build -t mx-guard .
#   docker run -p 3000:3000 -e APP_ID=... -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=... mx-guard
# docs/deploy.md lists every setting. test/deploy/dockerfile.test.ts checks this file and
# test/deploy/server-smoke.test.ts starts the runtime stage's layout as a real process.

ARG NODE_VERSION=20

# ---- build: all dependencies, compile src/ to lib/ -------------------------------------------
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here, and bun's postinstall is
# only needed for the test suite. The build runs explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the compiled app only ------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
# tini as PID 1: Node ignores SIGTERM when it is PID 1 itself (and `probot run` installs no signal
# handler), so without it `docker stop` and Kubernetes would wait for their SIGKILL timeout.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs the TypeScript build, which needs dev dependencies; lib/ comes
# from the build stage instead.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY bin ./bin
COPY schemas ./schemas
COPY app.yml ./
# The image's files stay root-owned and read-only for the process; it runs as the unprivileged
# `node` user (uid 1000) that the official image provides.
USER node
EXPOSE 3000
# Probot answers GET /ping with "PONG". The slim image has no curl: ask Node.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping', { signal: AbortSignal.timeout(4000) }).then(async (r) => process.exit(r.ok && (await r.text()) === 'PONG' ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The command `npm start` execs, without npm in between: tini's SIGTERM goes straight to Node.
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]
