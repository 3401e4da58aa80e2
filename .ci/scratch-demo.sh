# Sourced by the CI checkers that need the demo site (.ci/schemathesis.sh, .ci/htmlcheck.sh, .ci/outputs.sh):
# a scratch site with its own database, secret key, media and search index in a temporary folder, removed (and
# its server stopped) when the calling script exits. Expects PY; defines:
#   scratch_demo LABEL       migrate and load the classifiers and the Samara demo into the scratch database
#   scratch_serve PORT [ARGS] start gunicorn on 127.0.0.1:PORT (extra gunicorn ARGS) and wait for /healthz
work="$(mktemp -d)"
server_pid=""
scratch_cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap scratch_cleanup EXIT

unset DATABASE_URL CELERY_BROKER_URL REDIS_CACHE_URL
export VAR_DIR="$work/var" DEBUG=false LOG_LEVEL=ERROR
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export DJANGO_SETTINGS_MODULE=config.settings

scratch_demo() {
  echo "== $1: scratch demo database in $VAR_DIR =="
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py load_classifiers >/dev/null
  "$PY" manage.py load_demo >/dev/null
}

scratch_serve() {
  local port="$1"
  shift
  "$PY" -m gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 120 "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the site did not start:" >&2
      cat "$work/server.log" >&2
      exit 1
    fi
    sleep 1
  done
}
