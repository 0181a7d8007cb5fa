#!/usr/bin/env bash
# The README's test command, and what .ci/run runs: the PostgreSQL store's suite against Debian's
# PostgreSQL 15 (scripts/test-postgres15.sh; plain verify covers the embedded major version), then
# every module's tests and the interop suite (the standalone server's jar,
# server/target/scopedtokens-server-*-standalone.jar, behind Debian's docker-registry, driven by the
# real docker, skopeo and podman; and two of them on one embedded PostgreSQL). Installs the Debian
# packages it needs when run as root; otherwise fails naming them. It never skips: a missing tool is
# an error.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v podman >/dev/null 2>&1 || need+=(podman)
# The docker CLI: the machine brings it; Debian's docker.io package has it too.
command -v docker >/dev/null 2>&1 || need+=(docker.io)
# The PostgreSQL store's second major version: Debian's PostgreSQL 15 server binaries.
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)

if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test-all.sh: installing ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  else
    echo "test-all.sh: missing ${need[*]}. Install them (Debian: apt-get install -y ${need[*]})" \
      "or run this script as root, which installs them." >&2
    exit 1
  fi
fi

scripts/test-postgres15.sh

exec mvn -B -ntp verify -Pinterop
