"""gunicorn settings for one web server of the platform (the same file on every server).

Run from the release folder: `.venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.
Settings of the platform itself come from the environment (see /etc/projectoffice/env in deploy/systemd/);
the GUNICORN_* variables below only size this server.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx (or the balancer) in front
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # requests mostly wait for PostgreSQL
worker_class = "gthread"
timeout = 60  # a document build or an XLSX export stays well below this
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is replaced now and then, so a slow leak never grows
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "": none (the proxy logs requests)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
