#!/usr/bin/env bash
# Quick start: install everything, then run the SBC with the embedded default configuration
# (embedded SIP engine, in-memory state, a local userspace rtpengine it spawns itself).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
exec ./bin/palisade start --config deploy/examples/quickstart.yaml "$@"
