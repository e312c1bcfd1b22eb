#!/usr/bin/env bash
# The whole test suite: install everything, then lint, typecheck and run unit, conformance,
# integration and NAT-lab tests (mocha) against real rtpengine, redis-server and sipp.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
npm test
