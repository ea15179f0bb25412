#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (chromium for Playwright, bandit for the analyzers, bubblewrap for
# the code sandbox) when they are missing. Needs root for apt-get; otherwise says exactly what to install and fails.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v bandit >/dev/null 2>&1 || missing+=(bandit)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# The sandbox also drops to an unprivileged uid (setpriv) and sets resource limits (prlimit).
{ command -v setpriv >/dev/null 2>&1 && command -v prlimit >/dev/null 2>&1; } || missing+=(util-linux)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-system-deps: missing system packages: ${missing[*]}" >&2
  echo "ensure-system-deps: install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "ensure-system-deps: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-system-deps: installed ${missing[*]}"
