"""gunicorn settings for the web container, read from the environment.

Started by the image's default command:
    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application
"""

import os


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count() -> int:
    # The CPUs this container may run on (docker --cpuset-cpus), not the host's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Each worker thread can hold a PostgreSQL connection, so the ceiling keeps one
# container at 8 workers x 4 threads = 32 connections; add containers, not workers.
_MAX_DEFAULT_WORKERS = 8

bind = f"0.0.0.0:{_int_env('PORT', 8000)}"
workers = _int_env(
    "WEB_CONCURRENCY",
    min(2 * _cpu_count() + 1, _MAX_DEFAULT_WORKERS),
)
# Threads let a worker keep serving while another request waits on PostgreSQL
# or on Stripe; views are synchronous Django.
worker_class = "gthread"
threads = _int_env("GUNICORN_THREADS", 4)

timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a container down; the
# jitter keeps them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file must live in memory: on the container's overlay filesystem
# fchmod can block workers long enough for the arbiter to kill them.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - tmpfs on purpose, not a temp file

# Caddy is the only client: the compose file publishes no port for this
# container, and Caddy's address on the compose network is not fixed, so every
# peer is trusted to say the original scheme. Caddy overwrites any
# X-Forwarded-* header a browser sends, so these values are Caddy's own.
forwarded_allow_ips = "*"
# ...but only the one header Caddy sets is believed. The default list also reads
# X-Forwarded-Ssl and X-Forwarded-Protocol, which Caddy passes through from the
# browser untouched, and forwarder_headers would let a browser set SCRIPT_NAME.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarder_headers = ""

# gunicorn >= 25.1 opens a control socket under $HOME by default; nothing in a
# container uses it, and the app user's home need not be writable.
control_socket_disable = True

# Access log on stdout without personal data: no client address, no query string
# (search terms, tokens), no referer, no user agent. The Host header says which
# tenant was served.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s %({host}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %(p)s'
