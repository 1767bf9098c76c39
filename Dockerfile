# syntax=docker/dockerfile:1
# One image recipe for every Node workspace that runs: each subgraph and the gateway.
#   docker build --build-arg WORKSPACE=@conecta/committees --build-arg APP_DIR=services/committees .
# docker-compose.yml passes both for each service.
# Node 24 LTS; the code also runs on Node 20.19+ (CI runs the unit tier on both).
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Keep only the workspace and what it depends on (turbo prune).
FROM ${NODE_IMAGE} AS prune
ARG WORKSPACE
WORKDIR /repo
RUN npm install --global turbo@2.11.11
COPY . .
RUN turbo prune "${WORKSPACE}" --docker

# 2. Install, generate, build (the gateway's build also composes its supergraph);
#    then drop dev dependencies.
FROM ${NODE_IMAGE} AS build
ARG WORKSPACE
WORKDIR /repo
COPY --from=prune /repo/out/json/ .
RUN npm ci
COPY --from=prune /repo/out/full/ .
RUN npx turbo run build --filter="${WORKSPACE}" && npm prune --omit=dev

# 3. Runtime: production dependencies and compiled code, as the unprivileged node user.
FROM ${NODE_IMAGE} AS runtime
ARG APP_DIR
ENV NODE_ENV=production APP_DIR=${APP_DIR}
WORKDIR /app
COPY --from=build --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/packages ./packages
COPY --from=build --chown=node:node /repo/${APP_DIR} ./${APP_DIR}
USER node
# PORT comes from the environment (compose sets it for each service).
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# exec: node replaces the shell, so SIGTERM reaches the graceful shutdown.
CMD ["sh", "-c", "exec node \"$APP_DIR/dist/index.js\""]
