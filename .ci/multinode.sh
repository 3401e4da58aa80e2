#!/usr/bin/env bash
# Several servers on one PostgreSQL and one Redis: installs what the step needs when missing (PostgreSQL's RUM
# extension, nginx for `nginx -t`, Redis), then checks the deploy/ files (gunicorn, systemd-analyze, nginx -t)
# and runs the PostgreSQL engine's tests and the multi-node test (two gunicorn servers, MULTINODE=1).
# Idempotent; run after `make install-dev` (.ci/run's `make test` does it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive

pg_version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
missing=()
if [ -n "$pg_version" ] && ! dpkg -s "postgresql-$pg_version-rum" >/dev/null 2>&1; then
  missing+=("postgresql-$pg_version-rum")
fi
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v redis-server >/dev/null 2>&1 || command -v redis-cli >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing: ${missing[*]} =="
  apt-get update -qq
  # keep the packages' services from starting on install (nginx would take port 80): only their files are needed
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  apt-get install -y -qq "${missing[@]}" >/dev/null
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
redis_url="${MULTINODE_REDIS_URL:-redis://127.0.0.1:6379/8}"
if ! .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$redis_url" 2>/dev/null; then
  redis-server --daemonize yes --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do
    .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$redis_url" 2>/dev/null && break
    sleep 1
  done
fi

export SECRET_KEY=ci-tests-only-key-never-used-by-a-site-0123456789
export DATABASE_URL="${MULTINODE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/multinode}"

echo "== deploy/: gunicorn --check-config, systemd-analyze verify, nginx -t =="
.venv/bin/python -m pytest tests/config/test_deploy.py -q -p no:cacheprovider

echo "== the PostgreSQL search engine (RUM when installed) and the search suite on both engines =="
.venv/bin/python -m pytest tests/matching tests/opportunities/test_search_index.py tests/opportunities/test_catalogue.py \
  tests/lib/test_locks.py -q -p no:cacheprovider --create-db

echo "== multi-node: two gunicorn servers, one PostgreSQL, one Redis =="
MULTINODE=1 MULTINODE_REDIS_URL="$redis_url" .venv/bin/python -m pytest -m multinode tests/multinode -q -p no:cacheprovider
