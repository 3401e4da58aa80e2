#!/usr/bin/env bash
# Schemathesis against a running site: every operation of /api/v1/openapi.json with a staff token and all
# checks. Fails on any 5xx and on any response, status code or content type the schema does not describe,
# on a valid request refused and on an invalid one accepted (.ci/schemathesis.toml lists, with reasons, the
# operations where a schema-valid request may still be refused with 400).
#
# The site runs on a scratch SQLite database in a temporary VAR_DIR with the classifiers and the demo loaded
# (writes by the run are fine: everything is thrown away), on a free port, and is stopped at the end.
# Knobs: SCHEMATHESIS_MAX_EXAMPLES (cases per operation and phase, default 25), SCHEMATHESIS_SEED (default
# fixed, so a red run can be repeated; set `random` for a new one), SCHEMATHESIS_ARGS (more arguments, e.g.
# `--include-path-regex /projects`).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
ST="${ST:-.venv/bin/schemathesis}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-20260401}"

if [ ! -x "$ST" ]; then
  echo "schemathesis не установлен в .venv: make install-dev (он в dev-зависимостях)" >&2
  exit 2
fi

# shellcheck source=.ci/scratch-demo.sh
source .ci/scratch-demo.sh
scratch_demo schemathesis

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
scratch_serve "$port" --limit-request-line 0
curl -fsS "$base/healthz" >/dev/null

token="$(curl -fsS -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"username": "staff", "password": "demo-password"}' |
  "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

# Warm the worker: the first classification and the first participants list load the coding model and the
# matching vocabulary (about 1.5 s on a quiet machine, ten times that under CI's load), and schemathesis
# times each response against a 10 s limit. Real sites pay this once per worker start.
curl -fsS -o /dev/null -X POST "$base/api/v1/classify" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"text": "поставка ноутбуков", "scheme": "okpd2"}'
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/opportunities?page_size=1"
first="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/opportunities?page_size=1" |
  "$PY" -c 'import json, sys; d = json.load(sys.stdin); r = d.get("results", d); print(r[0]["id"] if r else "")')"
[ -n "$first" ] && curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/opportunities/$first/participants"

seed_args=(--seed "$SEED")
[ "$SEED" = "random" ] && seed_args=()

echo "== schemathesis run $base/api/v1/openapi.json (max examples $MAX_EXAMPLES) =="
status=0
# The run keeps one token: the operations that revoke tokens (logging out, revoking one's tokens) are left to
# tests/api, or every request after them would answer 401.
# shellcheck disable=SC2086  # SCHEMATHESIS_ARGS is a list of words on purpose
"$ST" --config-file .ci/schemathesis.toml run "$base/api/v1/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-examples "$MAX_EXAMPLES" \
  "${seed_args[@]}" \
  --workers 2 \
  --request-timeout 60 \
  --generation-database none \
  --exclude-name-regex '^(POST /api/v1/auth/logout|DELETE /api/v1/auth/tokens.*)$' \
  --no-color \
  ${SCHEMATHESIS_ARGS:-} || status=$?

if grep -q "Traceback" "$work/server.log"; then
  echo "== server errors logged during the run ==" >&2
  grep -B 2 -A 30 "Traceback" "$work/server.log" | head -200 >&2
  status=1
fi
exit "$status"
