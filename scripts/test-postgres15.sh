#!/usr/bin/env bash
# The store-postgres suite, and the standalone server's PostgreSQL test, against Debian's
# PostgreSQL 15: the second major version tested (plain `mvn verify` runs them against the embedded
# one). A throwaway cluster: initdb into a temporary folder as an unprivileged user, a server on a
# free port of 127.0.0.1 with a scram-sha-256 password, the tests pointed at it through
# SCOPEDTOKENS_PG_URL, then the server stopped and the folder deleted, whatever happens.
# scripts/test-all.sh runs it; it runs alone too (extra arguments go to mvn). Fails, naming the
# package, when PostgreSQL 15 is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x $pg_bin/initdb || ! -x $pg_bin/pg_ctl ]]; then
  echo "test-postgres15.sh: PostgreSQL 15 is missing ($pg_bin/initdb)." \
    "Install it (Debian: apt-get install -y postgresql-15) or run scripts/test-all.sh as root." >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the package's postgres user
# (or nobody), and its commands run as that user.
as_owner=()
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  getent passwd postgres >/dev/null || owner=nobody
  as_owner=(runuser -u "$owner" --)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/scopedtokens-pg15.XXXXXX")
chmod 700 "$work"
[[ $(id -u) -eq 0 ]] && chown "$owner" "$work"
stop_cluster() {
  if [[ -f $work/data/postmaster.pid ]]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap stop_cluster EXIT

password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf '%s\n' "$password" >"$work/pwfile")
[[ $(id -u) -eq 0 ]] && chown "$owner" "$work/pwfile"
"${as_owner[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth=scram-sha-256 \
  --pwfile="$work/pwfile" -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
rm -f "$work/pwfile"

# A free port: try a few at random; pg_ctl fails at once when one is taken.
port=
for _ in 1 2 3 4 5 6 7 8; do
  candidate=$((20000 + RANDOM % 40000))
  if "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 30 \
    -o "-p $candidate -c listen_addresses=127.0.0.1 -k $work -c fsync=off -c max_connections=100 -c deadlock_timeout=50ms" \
    start >/dev/null; then
    port=$candidate
    break
  fi
done
if [[ -z $port ]]; then
  echo "test-postgres15.sh: PostgreSQL 15 did not start; its log:" >&2
  cat "$work/server.log" >&2 || true
  exit 1
fi
echo "test-postgres15.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

# Only the store's tests, and the standalone server's over the store (its password from the
# environment, as scram-sha-256 checks it): the modules they build on are tested by the main run.
SCOPEDTOKENS_PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres" \
  SCOPEDTOKENS_PG_USER=postgres \
  SCOPEDTOKENS_PG_PASSWORD="$password" \
  mvn -B -ntp -pl store-postgres,server-standalone -am verify \
  -Dtest='dev.scopedtokens.store.postgres.**,dev.scopedtokens.server.standalone.PostgresStoreTest' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dmaven.javadoc.skip=true "$@"
