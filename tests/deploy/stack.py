"""The production stack of deploy/, started without Docker for tests/deploy/test_stack.py.

What compose.yaml runs in containers runs here as local processes on free loopback ports:

    client ──HTTPS──▶ Caddy (deploy/Caddyfile, its own CA) ──▶ gunicorn (deploy/gunicorn.conf.py)
                          │ asks /internal/tls-ask                 │
                          └────────────────────────────────────────┤
    procrastinate worker ──▶ PgBouncer (session mode) ◀────────────┘
                                   │
                                   ▼
                 PostgreSQL: the test session's own server, a database of the stack's own

PgBouncer runs deploy/pgbouncer.ini itself, with this machine's ports, paths and server
(``pgbouncer_config``); the worker is compose.yaml's command, ``manage.py worker``.

The database is a copy of the test session's database (``CREATE DATABASE … TEMPLATE``: the
migrated public schema and the template schema networks are cloned from), then set up the
way compose's ``migrate`` service leaves it (the cache table, the platform's row) and given
one network with a verified and an unverified custom domain. docs/production-stack.md says
more.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"

PLATFORM_DOMAIN = "entraide.test"
NETWORK = "poumon"
NETWORK_HOST = f"{NETWORK}.{PLATFORM_DOMAIN}"
VERIFIED_DOMAIN = "reseau-poumon.example.org"
PENDING_DOMAIN = "en-attente.example.org"
ADMIN_EMAIL = "admin@reseau-poumon.example.org"

# compose.yaml's ``migrate`` service (migrate_schemas, createcachetable, tenants template: all
# but nothing to do on a copy of the migrated test database, as on a release without
# migrations), then one network and its custom domains. The custom domains are rows as the
# DNS verification leaves them (tests/tenants/test_custom_domains.py tests that part);
# without a token, the hourly recheck, which the worker may run, does not look them up.
SETUP_SCRIPT = f"""
import time

from django.core.management import call_command
from django.utils import timezone

from provisioning import services
from tenants.models import Domain

from django.db import connection

# Jobs that tests committed in the database this one is a copy of are not the stack's.
with connection.cursor() as cursor:
    cursor.execute("TRUNCATE procrastinate_jobs CASCADE")
started = time.monotonic()
call_command("migrate_schemas", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("tenants", "template", verbosity=0)
print(f"migrated in {{time.monotonic() - started:.2f}} s")
started = time.monotonic()
tenant = services.tenant_create(
    slug={NETWORK!r},
    name="Réseau poumon",
    organization_slug="asso-poumon",
    admin_email={ADMIN_EMAIL!r},
    actor="tests:stack",
).tenant
Domain.objects.create(
    domain={VERIFIED_DOMAIN!r}, tenant=tenant, is_primary=False, verified=True,
    verified_at=timezone.now(),
)
Domain.objects.create(domain={PENDING_DOMAIN!r}, tenant=tenant, is_primary=False)
print(f"provisioned in {{time.monotonic() - started:.2f}} s")
"""


PR_SET_PDEATHSIG = 1


class StackError(RuntimeError):
    pass


def pgbouncer_binary() -> str | None:
    """Debian installs it in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("pgbouncer")
    if found is None and os.access("/usr/sbin/pgbouncer", os.X_OK):
        found = "/usr/sbin/pgbouncer"
    return found


def missing_programs() -> list[str]:
    missing = [] if shutil.which("caddy") else ["caddy"]
    return missing if pgbouncer_binary() else [*missing, "pgbouncer"]


def _die_with_parent() -> None:
    """In the child: SIGTERM when the test process dies, even killed (Linux's prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """PgBouncer refuses to run as root: as root, run it as ``postgres`` (or ``nobody``)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise StackError("running as root, and neither a postgres nor a nobody user exists")


def pgbouncer_config(
    *,
    listen_port: int,
    server_host: str,
    server_port: str,
    auth_file: Path,
    user: str,
    overrides: dict[str, str] | None = None,
) -> str:
    """deploy/pgbouncer.ini with this machine's ports, paths, server and user.

    ``overrides`` changes other settings (a test of ``server_lifetime`` shortens it); a
    setting the file does not have is an error, so a renamed one cannot go unnoticed."""
    # The lines deploy/pgbouncer.ini marks "stack:"; everything else runs as deployed.
    values = {
        "listen_addr": "127.0.0.1",
        "listen_port": str(listen_port),
        "unix_socket_dir": "",
        "auth_file": str(auth_file),
        "stats_users": user,
        **(overrides or {}),
    }
    lines, seen, section = [], set(), ""
    for line in (DEPLOY / "pgbouncer.ini").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        name, equals, _value = stripped.partition("=")
        name = name.strip()
        if section == "[databases]" and name == "*" and equals:
            line = f"* = host={server_host} port={server_port}"
            seen.add("*")
        elif section == "[pgbouncer]" and equals and name in values:
            line = f"{name} = {values[name]}"
            seen.add(name)
        lines.append(line)
    missing = ({"*"} | set(values)) - seen
    if missing:
        raise StackError(f"deploy/pgbouncer.ini has no {', '.join(sorted(missing))}")
    return "\n".join(lines) + "\n"


def spawn_pgbouncer(config: Path, log: Path) -> Process:
    """PgBouncer on ``config``, as ``postgres`` (or ``nobody``) when we are root."""
    as_user = _server_user()
    kwargs = {}
    if as_user is not None:
        kwargs = {"user": as_user.pw_uid, "group": as_user.pw_gid, "extra_groups": []}
    binary = pgbouncer_binary() or "pgbouncer"
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [binary, str(config)],
            cwd=REPO,
            env={"PATH": os.environ["PATH"]},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
            **kwargs,
        )
    return Process("pgbouncer", popen, log)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def terminate(self) -> None:
        if self.popen.poll() is None:
            # Each process leads its own group (start_new_session): gunicorn's workers too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)

    def stop(self, timeout: float = 10) -> None:
        if self.popen.poll() is not None:
            return
        self.terminate()
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)


@dataclass
class Stack:
    """Start with ``start()``, always ``stop()`` (a context manager does both)."""

    database: dict  # Django's settings_dict of the test session's database
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="entraide-stack-")))
    processes: dict[str, Process] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cleanup: threading.Thread | None = None

    def __post_init__(self) -> None:
        # Readable by the PgBouncer user when we are root (mkdtemp makes it 0700).
        self.root.chmod(0o755)
        self.db_name = f"{self.database['NAME']}_stack"[:63]
        self.ports = {name: free_port() for name in ("pgbouncer", "gunicorn", "http", "https")}
        self.mail_dir = self.root / "mail"
        self.caddy_home = self.root / "caddy"

    # --- the parts ----------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        self._timed("database", self._create_database)
        self._timed("pgbouncer", self._start_pgbouncer)
        # gunicorn, the worker and Caddy boot while the network is provisioned, so the
        # invitation job it defers reaches a worker that is already running.
        started = time.monotonic()
        self._start_gunicorn()
        self._start_worker()
        self._start_caddy()
        self._timed("setup", self._setup)
        self._wait_for_gunicorn()
        self._wait_for_caddy()
        self.timings["ready"] = time.monotonic() - started

    def stop(self) -> None:
        """SIGTERM to every process at once, as `docker compose stop` does. Waiting for them
        to exit, dropping the database and removing the folder go on in a thread
        (``self.cleanup``), for the caller to join later: DROP DATABASE waits for a
        checkpoint, seconds on a busy server."""
        for process in self.processes.values():
            process.terminate()
        self.cleanup = threading.Thread(target=self._clean_up, name="stack-cleanup")
        self.cleanup.start()

    def _clean_up(self) -> None:
        self._timed("stop", lambda: [process.stop() for process in self.processes.values()])
        self._timed("drop", self._drop_database)
        shutil.rmtree(self.root, ignore_errors=True)

    def logs(self) -> str:
        return "\n\n".join(
            f"----- {name} ({process.log.name}, exit {process.popen.poll()}) -----\n"
            + process.tail()
            for name, process in self.processes.items()
        )

    def _timed(self, name: str, step) -> None:
        started = time.monotonic()
        step()
        self.timings[name] = time.monotonic() - started

    # --- PostgreSQL ---------------------------------------------------------------------------

    def _connection_kwargs(self) -> dict:
        db = self.database
        kwargs = {"user": db.get("USER") or "postgres"}
        if db.get("HOST"):
            kwargs["host"] = db["HOST"]
        if db.get("PORT"):
            kwargs["port"] = str(db["PORT"])
        if db.get("PASSWORD"):
            kwargs["password"] = db["PASSWORD"]
        return kwargs

    def _admin_connection(self) -> psycopg.Connection:
        return psycopg.connect(dbname="postgres", autocommit=True, **self._connection_kwargs())

    def _create_database(self) -> None:
        """A copy of the test session's database; nobody else may be connected to it.

        PostgreSQL 15's default strategy (WAL_LOG) copies a small database block by block;
        FILE_COPY waits for two checkpoints, which take seconds on a busy server."""
        with self._admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.db_name)
                )
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(self.db_name), sql.Identifier(self.database["NAME"])
                )
            )

    def _drop_database(self) -> None:
        with contextlib.suppress(psycopg.Error), self._admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.db_name)
                )
            )

    def connect(self) -> psycopg.Connection:
        """A connection to the stack's database through PgBouncer, as the processes have."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.ports["pgbouncer"],
            user=self._connection_kwargs()["user"],
            password=self.pgbouncer_password,
            dbname=self.db_name,
            autocommit=True,
        )

    def pgbouncer_admin(self) -> psycopg.Connection:
        """PgBouncer's console (SHOW POOLS and the like)."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.ports["pgbouncer"],
            user=self._connection_kwargs()["user"],
            password=self.pgbouncer_password,
            dbname="pgbouncer",
            autocommit=True,
            # The console speaks only the simple query protocol.
            cursor_factory=psycopg.ClientCursor,
        )

    # --- PgBouncer ----------------------------------------------------------------------------

    def _server_address(self) -> tuple[str, str]:
        server = self._connection_kwargs()
        return server.get("host", "/var/run/postgresql"), server.get("port", "5432")

    def _start_pgbouncer(self) -> None:
        user = self._connection_kwargs()["user"]
        users = self.root / "userlist.txt"
        # deploy/pgbouncer.ini's authentication (SCRAM against this list): the processes log
        # in with this password; the test server itself trusts local connections.
        users.write_text(f'"{user}" "{self.pgbouncer_password}"\n')
        config = self.root / "pgbouncer.ini"
        host, port = self._server_address()
        config.write_text(
            pgbouncer_config(
                listen_port=self.ports["pgbouncer"],
                server_host=host,
                server_port=port,
                auth_file=users,
                user=user,
            )
        )
        for path in (users, config):
            path.chmod(0o644)
        self.processes["pgbouncer"] = spawn_pgbouncer(config, self.root / "pgbouncer.log")
        self._wait("pgbouncer", lambda: self._port_open(self.ports["pgbouncer"]))

    @property
    def pgbouncer_password(self) -> str:
        if not hasattr(self, "_pgbouncer_password"):
            self._pgbouncer_password = secrets.token_hex(16)
        return self._pgbouncer_password

    # --- Django processes ---------------------------------------------------------------------

    def env(self, *, through_pgbouncer: bool = True) -> dict[str, str]:
        """The production environment of compose.yaml's web and worker, on this machine."""
        server = self._connection_kwargs()
        if through_pgbouncer:
            database_url = (
                f"postgres://{server['user']}:{self.pgbouncer_password}"
                f"@127.0.0.1:{self.ports['pgbouncer']}/{self.db_name}"
            )
        else:
            host = server.get("host", "")
            location = (
                f"@:{server.get('port', '5432')}/{host.replace('/', '%2F')}"
                if host.startswith("/")
                else f"@{host or '127.0.0.1'}:{server.get('port', '5432')}"
            )
            secret = f":{server['password']}" if "password" in server else ""
            database_url = f"postgres://{server['user']}{secret}{location}/{self.db_name}"
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.root),
            "LANG": "C.UTF-8",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": database_url,
            "PLATFORM_DOMAIN": PLATFORM_DOMAIN,
            "PLATFORM_URL_PORT": str(self.ports["https"]),
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "MEDIA_ROOT": str(self.root / "media"),
            "TENANT_EXPORT_DIR": str(self.root / "exports"),
            "TRUSTED_PROXY_COUNT": "1",
            "TLS_ASK_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
            "CACHE_URL": "dbcache://entraide_cache",
            "SENTRY_DSN": "",
            "STRIPE_API_KEY": "",
            "STRIPE_WEBHOOK_SECRET": "",
        }
        # Where `make install` collected the static files, if it is not .data/.
        if os.environ.get("ENTRAIDE_DATA_DIR"):
            env["ENTRAIDE_DATA_DIR"] = os.environ["ENTRAIDE_DATA_DIR"]
        return env

    @property
    def secret_key(self) -> str:
        if not hasattr(self, "_secret_key"):
            self._secret_key = secrets.token_hex(32)
        return self._secret_key

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(through_pgbouncer=False),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **kwargs,
        )

    def _setup(self) -> None:
        result = self.manage("shell", "-c", SETUP_SCRIPT)
        if result.returncode != 0:
            raise StackError(f"setting the database up failed:\n{result.stdout}{result.stderr}")
        for step in ("migrated", "provisioned"):
            seconds = re.search(rf"{step} in ([0-9.]+) s", result.stdout)
            if seconds:
                self.timings[f"setup:{step}"] = float(seconds[1])

    def _start_gunicorn(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {**self.env(), "PORT": str(self.ports["gunicorn"]), "WEB_CONCURRENCY": "1"}
        # The image's command, bound to loopback rather than 0.0.0.0 (the command line wins
        # over gunicorn.conf.py's bind).
        self._spawn(
            "gunicorn",
            [
                str(gunicorn),
                "-c",
                str(DEPLOY / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.ports['gunicorn']}",
                "config.wsgi:application",
            ],
            env=env,
        )

    def _start_worker(self) -> None:
        # compose.yaml's worker command.
        self._spawn("worker", [sys.executable, "manage.py", "worker"], env=self.env())

    def _wait_for_gunicorn(self) -> None:
        def healthy() -> bool:
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.ports["gunicorn"], timeout=2
                )
                connection.request("GET", "/healthz")
                return connection.getresponse().status == 200
            except OSError:
                return False

        self._wait("gunicorn", healthy, timeout=40)

    # --- Caddy --------------------------------------------------------------------------------

    @property
    def caddy_root_certificate(self) -> Path:
        return self.caddy_home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def _start_caddy(self) -> None:
        # deploy/Caddyfile itself, adapted by its environment variables: loopback ports,
        # no admin endpoint, and Caddy's own CA instead of Let's Encrypt, kept out of the
        # machine's trust store.
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.caddy_home),
            "XDG_DATA_HOME": str(self.caddy_home / "data"),
            "XDG_CONFIG_HOME": str(self.caddy_home / "config"),
            "PLATFORM_DOMAIN": PLATFORM_DOMAIN,
            "ACME_EMAIL": f"ops@{PLATFORM_DOMAIN}",
            "ENTRAIDE_UPSTREAM": f"127.0.0.1:{self.ports['gunicorn']}",
            "HTTP_PORT": str(self.ports["http"]),
            "HTTPS_PORT": str(self.ports["https"]),
            "CADDY_ADMIN": "off",
            "CADDY_GLOBAL_OPTIONS": "local_certs\nskip_install_trust\ndefault_bind 127.0.0.1",
        }
        self._spawn(
            "caddy",
            ["caddy", "run", "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
            env=env,
        )

    def _wait_for_caddy(self) -> None:
        self._wait(
            "caddy",
            lambda: self.caddy_root_certificate.exists() and self._port_open(self.ports["https"]),
        )

    # --- HTTPS through Caddy ------------------------------------------------------------------

    def https(self, host: str, path: str = "/", *, method: str = "GET") -> HTTPSResponse:
        """A request to Caddy for ``host`` (SNI and Host header), trusting only Caddy's CA."""
        context = ssl.create_default_context(cafile=str(self.caddy_root_certificate))
        connection = _LoopbackHTTPSConnection(
            host, self.ports["https"], context=context, timeout=20
        )
        try:
            connection.request(method, path, headers={"Accept-Language": "fr"})
            response = connection.getresponse()
            body = response.read()
            certificate = connection.sock.getpeercert()
            return HTTPSResponse(response.status, response.headers, body, certificate)
        finally:
            connection.close()

    # --- helpers ------------------------------------------------------------------------------

    def _spawn(
        self,
        name: str,
        args: list[str],
        *,
        env: dict[str, str],
        **kwargs,
    ) -> None:
        log = self.root / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                args,
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
                **kwargs,
            )
        self.processes[name] = Process(name, popen, log)

    def _wait(self, name: str, ready, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        process = self.processes[name]
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise StackError(f"{name} exited ({process.popen.returncode}):\n{self.logs()}")
            if ready():
                return
            time.sleep(0.1)
        raise StackError(f"{name} not ready after {timeout} s:\n{self.logs()}")

    @staticmethod
    def _port_open(port: int) -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class HTTPSResponse:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    certificate: dict


class _LoopbackHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a hostname that resolves to 127.0.0.1 whatever the DNS says (curl --resolve)."""

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
