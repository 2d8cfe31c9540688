"""scripts/devdb.py: the private PostgreSQL cluster used when DATABASE_URL is unset."""

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import environ
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "devdb.py"

CONNECT = """
import os, environ, psycopg
db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
with psycopg.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"]) as c:
    assert c.execute("SELECT 1").fetchone() == (1,)
print("ok")
"""

WAIT_FOR_SIGNAL = """
import signal, sys, time
def leave(signum, frame):
    print("got", signal.Signals(signum).name, flush=True)
    sys.exit(7)
signal.signal(signal.SIGINT, leave)
signal.signal(signal.SIGTERM, leave)
print("ready", flush=True)
time.sleep(60)
"""


def load_devdb():
    spec = importlib.util.spec_from_file_location("devdb", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data_dir():
    """One cluster folder for the module: initdb runs once, each test starts and stops it.

    Not under pytest's tmp_path: as root, devdb lets the postgres user traverse the folder's
    parents, and any other pytest run resets /tmp/pytest-of-root to 0700 meanwhile.
    """
    path = Path(tempfile.mkdtemp(prefix="entraide-devdb-test-"))
    yield path
    subprocess.run([sys.executable, SCRIPT, "stop"], env=devdb_env(path), check=False)
    shutil.rmtree(path, ignore_errors=True)


def devdb_env(data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "ENTRAIDE_DATA_DIR": str(data_dir), **extra}


def devdb(data_dir, *args, **extra_env):
    return subprocess.run(
        [sys.executable, SCRIPT, *args],
        env=devdb_env(data_dir, **extra_env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def is_running(data_dir, monkeypatch):
    monkeypatch.setenv("ENTRAIDE_DATA_DIR", str(data_dir))
    return load_devdb().is_running()


def test_run_starts_the_cluster_for_the_command_and_stops_it(data_dir, monkeypatch):
    result = devdb(data_dir, "run", "--", sys.executable, "-c", CONNECT)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"  # nothing but the command's output on stdout
    assert "Starting the private PostgreSQL cluster" in result.stderr
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    assert not is_running(data_dir, monkeypatch)


def test_run_propagates_the_exit_code(data_dir, monkeypatch):
    result = devdb(data_dir, "run", "--", sys.executable, "-c", "raise SystemExit(3)")

    assert result.returncode == 3, result.stderr
    assert not is_running(data_dir, monkeypatch)


def test_run_leaves_a_cluster_it_did_not_start_running(data_dir, monkeypatch):
    url = devdb(data_dir, "url")
    assert url.returncode == 0, url.stderr
    socket_dir = environ.Env.db_url_config(url.stdout.strip())["HOST"]
    assert (Path(socket_dir) / ".s.PGSQL.5432").exists()

    result = devdb(data_dir, "run", "--", sys.executable, "-c", CONNECT)
    assert (result.returncode, result.stdout) == (0, "ok\n"), result.stderr
    assert is_running(data_dir, monkeypatch)

    assert devdb(data_dir, "stop").returncode == 0
    assert not is_running(data_dir, monkeypatch)
    assert devdb(data_dir, "stop").returncode == 0  # stopping a stopped cluster is fine


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_run_forwards_signals_and_stops_the_cluster(data_dir, monkeypatch, signum):
    proc = subprocess.Popen(
        [sys.executable, SCRIPT, "run", "--", sys.executable, "-c", WAIT_FOR_SIGNAL],
        env=devdb_env(data_dir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # no terminal: the signal reaches devdb only
    )
    try:
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()

    assert proc.returncode == 7, err
    assert out == f"got {signal.Signals(signum).name}\n"
    assert not is_running(data_dir, monkeypatch)


def test_run_with_database_url_set_changes_nothing(tmp_path):
    env = devdb_env(tmp_path, DATABASE_URL="postgres://someone@db.example/elsewhere")
    dump = "import json, os; print(json.dumps(dict(os.environ)))"

    result = subprocess.run(
        [sys.executable, SCRIPT, "run", "--", sys.executable, "-c", dump],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == env
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []  # no cluster, not even a folder
