#!/usr/bin/env bash
# Redocly CLI's recommended rules over the OpenAPI document the site serves (/api/v1/openapi.json), generated
# here by drf-spectacular exactly as the view does; 0 errors or the run fails (warnings are printed). The CLI's
# version is pinned; npx fetches it from the npm registry once and keeps it in npm's cache. Node and npm come
# from Debian when missing. The same document is checked by openapi-spec-validator in the tests
# (tests/api/test_schema_lint.py).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
REDOCLY_VERSION="2.77.0"

if ! command -v npx >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset DATABASE_URL
export VAR_DIR="$work/var" DJANGO_SETTINGS_MODULE=config.settings LOG_LEVEL=ERROR

echo "== openapi-lint: the document, generated =="
"$PY" manage.py spectacular --format openapi-json --validate --fail-on-warn --file "$work/openapi.json"

echo "== openapi-lint: Redocly CLI $REDOCLY_VERSION, recommended rules (redocly.yaml) =="
NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npx --yes "@redocly/cli@$REDOCLY_VERSION" lint --config redocly.yaml --format stylish "$work/openapi.json"
echo "openapi-lint: 0 errors"
