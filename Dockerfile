# syntax=docker/dockerfile:1.7
#
# Palisade container image.
#
#   docker build -t palisade --build-arg GIT_COMMIT=$(git rev-parse --short=12 HEAD) .
#   docker build -t palisade:slim --build-arg WITH_RTPENGINE=false .   # SBC only, rtpengine elsewhere
#   docker run --rm -p 5060:5060/udp -p 5060:5060/tcp -p 9090:9090 palisade
#
# The default command is `palisade start --config /etc/palisade/palisade.yaml`; mount your own
# configuration there (the Helm chart mounts a ConfigMap). SIP on 5060/5061 needs no capability:
# both are above 1024, so the process runs as an unprivileged user with every capability dropped.
# Kubernetes: helm/palisade and docs/kubernetes.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: full dependency tree, TypeScript → dist/ -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/write-build-info.js ./scripts/
COPY lib ./lib
COPY test ./test
COPY bench ./bench
# tsc compiles lib/, test/ and bench/ (one project); only dist/lib goes into the image.
RUN npm run build
# No .git in the build context: stamp the commit given by the builder (palisade_build_info).
ARG GIT_COMMIT=unknown
RUN node -e "const f='dist/build-info.json';const b=JSON.parse(require('fs').readFileSync(f,'utf8'));b.commit=process.argv[1];require('fs').writeFileSync(f,JSON.stringify(b)+'\n')" "${GIT_COMMIT}"

# ---- production node_modules only ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# true (default): also install Debian's rtpengine-daemon, for `media.spawnLocal` (a userspace
# rtpengine, --table=-1, inside this container) and so that the chart's rtpengine DaemonSet can run
# this same image. false: a smaller SBC-only image; point media.rtpengines at rtpengines elsewhere.
ARG WITH_RTPENGINE=true
RUN set -eux; \
    packages="tini"; \
    if [ "${WITH_RTPENGINE}" = "true" ]; then packages="$packages rtpengine-daemon"; fi; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --system --gid 10001 palisade; \
    useradd --system --uid 10001 --gid palisade --home-dir /nonexistent --shell /usr/sbin/nologin palisade; \
    mkdir -p /etc/palisade /var/lib/palisade; \
    chown palisade:palisade /var/lib/palisade

WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/lib ./dist/lib
COPY --from=build /src/dist/build-info.json ./dist/build-info.json
COPY package.json ./
COPY bin/palisade ./bin/palisade
RUN ln -s /app/bin/palisade /usr/local/bin/palisade

# Default configuration: SIP on UDP and TCP 5060, metrics/health on all interfaces (so `docker
# run -p 9090:9090` and probes reach it), state in memory, and a local userspace rtpengine that
# relays media on the container's eth0 (needs WITH_RTPENGINE=true; behind NAT add the public
# address: PALISADE_MEDIA__LOCAL__INTERFACE='eth0!203.0.113.10'). No trunks or routes: every call
# is refused until you mount a configuration of your own. Reference: docs/configuration.md.
COPY <<'EOF' /etc/palisade/palisade.yaml
log: { level: info }
observe:
  http: { address: 0.0.0.0, port: 9090 }
sip:
  listen:
    - { transport: udp, address: 0.0.0.0, port: 5060 }
    - { transport: tcp, address: 0.0.0.0, port: 5060 }
engine:
  mode: embedded
  control: { address: 127.0.0.1, port: 9022 }
media:
  rtpengines: [{ ng: "127.0.0.1:22222" }]
  spawnLocal: true
  local: { binary: rtpengine, interface: eth0, portMin: 40000, portMax: 40999 }
state: { backend: memory }
EOF

ENV NODE_ENV=production
USER 10001:10001
EXPOSE 5060/udp 5060/tcp 9090/tcp
# Liveness of the ops server (/health). Node is used because the slim image has no curl or wget.
# HEALTHCHECK_URL (not PALISADE_*: those are configuration overrides) follows a moved port.
ENV HEALTHCHECK_URL=http://127.0.0.1:9090/health
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get(process.env.HEALTHCHECK_URL,(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# tini is PID 1: it reaps zombies and forwards SIGTERM/SIGINT to palisade, which stops taking
# calls (readiness goes false) and shuts down cleanly; Kubernetes waits terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "palisade"]
CMD ["start", "--config", "/etc/palisade/palisade.yaml"]
