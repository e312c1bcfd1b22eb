#!/usr/bin/env bash
# Installs what Palisade needs on Debian 12 (run as root): system packages via apt-get (only the
# missing ones, so re-runs are quick), npm dependencies, and the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(rtpengine-daemon redis-server redis-sentinel sip-tester iproute2 iptables openssl util-linux procps baresip-core tshark)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing system packages (${missing[*]}); run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: system packages present"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  echo "install-deps: Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm ci only when the lockfile changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "install-deps: node_modules up to date"
fi

npm run --silent build
