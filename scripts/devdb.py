#!/usr/bin/env python3
"""A private PostgreSQL cluster for development and tests, used when DATABASE_URL is unset.

The cluster lives in ``<repo>/.data/postgres`` (or ``$ENTRAIDE_DATA_DIR/postgres``), uses the
machine's PostgreSQL binaries (``initdb``, ``pg_ctl``, ``createdb``) and listens on a Unix socket
only, so it never collides with another server on the machine.

Usage::

    python scripts/devdb.py url               # start it if needed, print the DATABASE_URL
    python scripts/devdb.py stop              # stop it (no error if it is not running)
    python scripts/devdb.py run -- CMD ARGS   # run CMD with DATABASE_URL set

``run`` leaves the environment untouched when DATABASE_URL is already set. Otherwise it starts the
cluster, runs CMD with DATABASE_URL set, forwards SIGINT/SIGTERM/SIGHUP to it and, when it exits,
stops the cluster if this invocation started it, then exits with CMD's exit code.

Other scripts can reuse it (standard library only)::

    sys.path.insert(0, os.path.dirname(__file__))
    import devdb
    url, started_now = devdb.ensure_running()
    ...
    if started_now:
        devdb.stop()
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import locale
import os
import pwd
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
DB_NAME = "entraide"
DB_USER = "postgres"  # the cluster's superuser (trust authentication, socket only)
PORT = 5432  # only names the socket file (.s.PGSQL.5432); there is no TCP listener
OS_USER = "postgres"  # system user that runs the server when we are root
REQUIRED_BINARIES = ("initdb", "pg_ctl", "createdb", "psql")
# A Unix socket path is limited to 107 bytes; the server appends "/.s.PGSQL.5432".
MAX_SOCKET_DIR_BYTES = 90
# Settings given to the server on its command line. fsync, synchronous_commit and
# full_page_writes are off: this cluster only holds development and test data, so losing the
# last transactions (or the cluster) after an OS crash is acceptable, and it is much faster.
SERVER_SETTINGS = {
    "listen_addresses": "",  # no TCP port at all
    "port": str(PORT),
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
SI_KERNEL = 0x80  # Linux si_code of signals sent by the kernel (e.g. Ctrl-C from the tty)


class DevDBError(RuntimeError):
    """The private cluster could not be set up."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- locations ------------------------------------------------------------------------------


def data_root() -> Path:
    override = os.environ.get("ENTRAIDE_DATA_DIR")
    return Path(override).resolve() if override else REPO / ".data"


def data_dir() -> Path:
    return data_root() / "postgres"


def _is_plain_path(path: Path) -> bool:
    # The directory goes into a server command line and a comma-separated setting.
    return re.fullmatch(r"[A-Za-z0-9_./+@:-]+", str(path)) is not None


def _planned_socket_dir(pgdata: Path) -> Path:
    """<pgdata>/run if it is short enough, else a short directory under /tmp."""
    inside = pgdata / "run"
    if len(os.fsencode(inside)) <= MAX_SOCKET_DIR_BYTES and _is_plain_path(inside):
        return inside
    digest = hashlib.sha256(os.fsencode(pgdata)).hexdigest()[:12]
    # Fixed short path (not $TMPDIR, which may be long); _make_owned_dir checks its owner.
    return Path("/tmp") / f"entraide-pg-{digest}"  # noqa: S108


def _running_socket_dir(pgdata: Path) -> Path | None:
    """The socket directory of the running server, as recorded in postmaster.pid."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    # Line 5 holds the first entry of unix_socket_directories.
    if len(lines) >= 5 and lines[4].strip():
        return Path(lines[4].strip())
    return None


def database_url(socket_dir: Path) -> str:
    # The socket directory goes percent-encoded in the path: django-environ turns
    # "postgres://user@:port/%2Fsocket%2Fdir/name" into HOST="/socket/dir", NAME="name".
    return f"postgres://{DB_USER}@:{PORT}/{quote(str(socket_dir), safe='')}/{DB_NAME}"


# --- binaries and users ---------------------------------------------------------------------


def _has_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in REQUIRED_BINARIES)


def find_bindir() -> Path:
    """The directory holding initdb, pg_ctl, createdb and psql."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            result = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
            )
            if result.returncode == 0 and result.stdout.strip():
                candidates.append(Path(result.stdout.strip()))

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    candidates.extend(debian)
    for candidate in candidates:
        if _has_binaries(candidate):
            return candidate
    initdb = shutil.which("initdb")
    if initdb and _has_binaries(Path(initdb).parent):
        return Path(initdb).parent
    raise DevDBError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL "
        "(Debian: apt-get install postgresql) or set DATABASE_URL."
    )


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged user to run PostgreSQL as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(OS_USER)
    except KeyError:
        raise DevDBError(
            f"Running as root, but there is no '{OS_USER}' system user to run PostgreSQL "
            "(initdb refuses root). Create it or run as an ordinary user."
        ) from None


def _pg(
    bindir: Path,
    args: Sequence[str],
    user: pwd.struct_passwd | None,
    check: bool = True,
    new_session: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program, as `user` if given; output is captured, never on stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_MESSAGES"] = "C"
    kwargs: dict = {}
    if user is not None:
        kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        env.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
    result = subprocess.run(
        [str(bindir / args[0]), *args[1:]],
        env=env,
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=new_session,
        **kwargs,
    )
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise DevDBError(f"{args[0]} failed (exit {result.returncode}):\n{output}")
    return result


# --- file system preparation (root only) ----------------------------------------------------


def _make_owned_dir(path: Path, user: pwd.struct_passwd | None) -> None:
    """Create `path` (mode 0700) for the server user; refuse someone else's directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
        created = True
    except FileExistsError:
        created = False
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise DevDBError(f"{path} is not a directory")
    uid = user.pw_uid if user else os.geteuid()
    if st.st_uid != uid:
        # Only take over a directory we just made, or the cluster's own folder (as root).
        ours = created or path == data_dir() or path.is_relative_to(data_dir())
        if user is None or not ours:
            raise DevDBError(f"{path} belongs to uid {st.st_uid}, expected uid {uid}")
        os.chown(path, user.pw_uid, user.pw_gid)
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, 0o700)


def _allow_traversal(path: Path, user: pwd.struct_passwd) -> None:
    """Make every ancestor of `path` searchable by `user` (adds o+x where it is missing)."""
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    for directory in [path, *path.parents]:
        st = os.stat(directory)
        if st.st_uid == user.pw_uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            log(f"Letting the '{user.pw_name}' user traverse {directory} (chmod +x)")
            os.chmod(directory, stat.S_IMODE(st.st_mode) | bit)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Serialise concurrent devdb invocations on the same data folder."""
    root = data_root()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / "postgres.lock", os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- cluster --------------------------------------------------------------------------------


def _locale() -> str:
    current = locale.setlocale(locale.LC_COLLATE)
    try:
        locale.setlocale(locale.LC_COLLATE, "C.UTF-8")
    except locale.Error:
        return "C"
    finally:
        locale.setlocale(locale.LC_COLLATE, current)
    return "C.UTF-8"


def _is_running(bindir: Path, pgdata: Path, user: pwd.struct_passwd | None) -> bool:
    if not (pgdata / "postmaster.pid").exists():
        return False
    return _pg(bindir, ["pg_ctl", "-D", str(pgdata), "status"], user, check=False).returncode == 0


def _initdb(bindir: Path, pgdata: Path, user: pwd.struct_passwd | None) -> None:
    log(f"Creating a private PostgreSQL cluster in {pgdata} …")
    _make_owned_dir(pgdata, user)
    if any(pgdata.iterdir()):
        raise DevDBError(f"{pgdata} is not empty but holds no PostgreSQL cluster (no PG_VERSION)")
    _pg(
        bindir,
        [
            "initdb",
            "-D",
            str(pgdata),
            "--auth=trust",
            f"--username={DB_USER}",
            "--encoding=UTF8",
            f"--locale={_locale()}",
            "--no-sync",  # a throw-away dev cluster: no need to flush it to disk
        ],
        user,
    )


def _start(bindir: Path, pgdata: Path, user: pwd.struct_passwd | None) -> Path:
    socket_dir = _planned_socket_dir(pgdata)
    _make_owned_dir(socket_dir, user)
    settings = {**SERVER_SETTINGS, "unix_socket_directories": str(socket_dir)}
    options = " ".join(f"-c {shlex.quote(f'{k}={v}')}" for k, v in settings.items())
    log(f"Starting the private PostgreSQL cluster in {pgdata} …")
    log_file = pgdata / "server.log"
    result = _pg(
        bindir,
        [
            "pg_ctl",
            "-D",
            str(pgdata),
            "-l",
            str(log_file),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ],
        user,
        check=False,
        new_session=True,
    )
    if result.returncode != 0:
        tail = ""
        with contextlib.suppress(OSError):
            tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-20:])
        raise DevDBError(
            f"pg_ctl start failed (exit {result.returncode}):\n"
            f"{(result.stdout + result.stderr).strip()}\n--- {log_file} ---\n{tail}"
        )
    return socket_dir


def _ensure_database(bindir: Path, socket_dir: Path, user: pwd.struct_passwd | None) -> None:
    conn = ["-h", str(socket_dir), "-p", str(PORT), "-U", DB_USER]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608 (constant)
    found = _pg(bindir, ["psql", *conn, "-d", "postgres", "-XAtc", query], user)
    if found.stdout.strip() != "1":
        log(f"Creating the database {DB_NAME} …")
        _pg(bindir, ["createdb", *conn, DB_NAME], user)


def ensure_running() -> tuple[str, bool]:
    """Initialise the cluster if needed and start it; return (DATABASE_URL, started_now)."""
    bindir = find_bindir()
    user = _server_user()
    pgdata = data_dir()
    with _locked():
        if user is not None:
            _allow_traversal(data_root(), user)
        if not (pgdata / "PG_VERSION").exists():
            _initdb(bindir, pgdata, user)
        socket_dir = _running_socket_dir(pgdata) if _is_running(bindir, pgdata, user) else None
        started_now = socket_dir is None
        try:
            if socket_dir is None:
                socket_dir = _start(bindir, pgdata, user)
            _ensure_database(bindir, socket_dir, user)
        except BaseException:  # including Ctrl-C: leave no half-started cluster behind
            if started_now:
                _stop(bindir, pgdata, user)
            raise
    return database_url(socket_dir), started_now


def _stop(bindir: Path, pgdata: Path, user: pwd.struct_passwd | None) -> bool:
    if not _is_running(bindir, pgdata, user):
        return False
    log(f"Stopping the private PostgreSQL cluster in {pgdata} …")
    result = _pg(bindir, ["pg_ctl", "-D", str(pgdata), "-m", "fast", "-w", "stop"], user, False)
    if result.returncode != 0 and _is_running(bindir, pgdata, user):
        raise DevDBError(f"pg_ctl stop failed:\n{(result.stdout + result.stderr).strip()}")
    return True


def stop() -> bool:
    """Stop the cluster if it is running; return whether it was running."""
    pgdata = data_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    user = _server_user()
    with _locked():
        if user is not None:  # pg_ctl runs as that user and must reach the folder
            _allow_traversal(data_root(), user)
        return _stop(find_bindir(), pgdata, user)


def is_running() -> bool:
    pgdata = data_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    return _is_running(find_bindir(), pgdata, _server_user())


# --- run ------------------------------------------------------------------------------------

FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def _run_child(cmd: Sequence[str], env: dict[str, str]) -> int:
    """Run cmd, forwarding SIGINT/SIGTERM/SIGHUP to it; return its exit status."""
    if not hasattr(signal, "sigtimedwait"):  # not Linux: plain forwarding
        child = subprocess.Popen(cmd, env=env)
        for signum in FORWARDED_SIGNALS:
            signal.signal(signum, lambda signum, _frame: child.send_signal(signum))
        returncode = child.wait()
        _ignore_signals()
        return returncode

    # Block the signals and collect them with sigtimedwait, which tells who sent them: a Ctrl-C
    # from the terminal already reached the child (same process group), so only signals sent to
    # this process alone (kill PID) are forwarded. Forwarding both would give the child two
    # SIGINTs, which many programs take as "stop now, skip the clean shutdown".
    waited = {*FORWARDED_SIGNALS, signal.SIGCHLD}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    try:
        child = subprocess.Popen(
            cmd, env=env, preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        )
        while child.poll() is None:
            info = signal.sigtimedwait(waited, 1.0)
            if info is None or info.si_signo == signal.SIGCHLD:
                continue
            from_terminal = info.si_code == SI_KERNEL
            with contextlib.suppress(ProcessLookupError):
                if not (from_terminal and os.getpgid(child.pid) == os.getpgrp()):
                    child.send_signal(info.si_signo)
        return child.returncode
    finally:
        _ignore_signals()  # discards anything that arrived since the last sigtimedwait
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _ignore_signals() -> None:
    # Once the child has exited this process only cleans up (stops the cluster) and exits:
    # another Ctrl-C must not interrupt that. pg_ctl inherits the ignored dispositions.
    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def run(cmd: Sequence[str]) -> int:
    if not cmd:
        log("devdb run: missing command (usage: devdb.py run -- CMD ARGS...)")
        return 2
    if os.environ.get("DATABASE_URL"):
        try:
            # Environment unchanged, nothing started.
            os.execvp(cmd[0], list(cmd))  # noqa: S606
        except OSError as error:
            log(f"devdb run: cannot run {cmd[0]}: {error}")
            return 127
    url, started_now = ensure_running()
    try:
        try:
            returncode = _run_child(cmd, {**os.environ, "DATABASE_URL": url})
        except OSError as error:
            log(f"devdb run: cannot run {cmd[0]}: {error}")
            returncode = 127
    finally:
        if started_now:
            stop()
    return _exit_code(returncode)


USAGE = """usage: devdb.py url | stop | run -- CMD [ARGS...]

  url   start the private PostgreSQL cluster if needed and print its DATABASE_URL
  stop  stop it
  run   run CMD with DATABASE_URL set (starting the cluster for its duration if
        DATABASE_URL is unset)"""


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    command, rest = argv[0], list(argv[1:])
    try:
        if command == "url" and not rest:
            url, _ = ensure_running()
            print(url)
            return 0
        if command == "stop" and not rest:
            if not stop():
                log("The private PostgreSQL cluster is not running.")
            return 0
        if command == "run":
            return run(rest[1:] if rest[:1] == ["--"] else rest)
    except DevDBError as error:
        log(f"devdb: {error}")
        return 1
    except KeyboardInterrupt:
        log("devdb: interrupted")
        return 130
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
