#!/usr/bin/env bash
# Installs what the benchmarks in bench/ need beyond ./scripts/install-deps.sh: Kamailio (the
# reference SIP proxy for bench/engine-cps.ts and, with its rtpengine module, bench/sbc-cps.ts),
# sipp, and tcpdump (bench/sbc-cps.ts measures the SBC's setup delay from a capture on lo).
# Debian 12, run as root. Idempotent: only missing packages are installed, and `apt-get update` runs only when something is missing.
# The benchmarks are run by hand (see bench/README.md), never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_PACKAGES=(kamailio sip-tester procps iproute2 tcpdump)

missing=()
for pkg in "${BENCH_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-bench-deps: ${BENCH_PACKAGES[*]} present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-bench-deps: missing packages (${missing[*]}); run as root or install them with apt-get" >&2
  exit 1
fi

echo "install-bench-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# --no-install-recommends: the kamailio package alone carries tm, sl, rr, maxfwd, textops, pv and
# rtpengine (Debian 12 ships rtpengine.so in `kamailio` itself, not in kamailio-extra-modules).
apt-get install -y -q --no-install-recommends "${missing[@]}"

# The Debian package enables a kamailio.service on :5060; the bench starts its own instance on a
# free loopback port with bench/kamailio/kamailio.cfg, so the packaged service is not needed.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet kamailio 2>/dev/null; then
  echo "install-bench-deps: note: the packaged kamailio.service is running (not used by the bench)"
fi
if [[ ! -e /usr/lib/x86_64-linux-gnu/kamailio/modules/rtpengine.so ]] &&
  ! find /usr/lib -path '*kamailio/modules/rtpengine.so' -print -quit 2>/dev/null | grep -q .; then
  echo "install-bench-deps: warning: Kamailio's rtpengine module (rtpengine.so) not found" >&2
fi
echo "install-bench-deps: done"
