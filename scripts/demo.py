"""Run the demo: private database if needed, migrations, demo networks, web and worker.

Stops everything it started, the database included, on Ctrl-C.
"""

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
import devdb  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PORT = os.environ.get("DEMO_PORT", "8000")


def demo_secret_key() -> str:
    """The demo's own key, made once and kept under .data/: the settings refuse to run
    without a key when DEBUG is off, and sessions survive a restart of the demo."""
    path = devdb.data_root() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only: the key signs sessions and password-reset links.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True)


def demo_env(environ: dict[str, str]) -> dict[str, str]:
    """The demo's settings, unless the environment sets them: DEBUG off, as in production,
    so visitors see the product's own error pages (WhiteNoise serves the static files);
    plain HTTP on *.localhost, so cookies are not marked secure and links point at
    http://<network>.localhost:PORT. Every host reaches Django (ALLOWED_HOSTS "*" by
    default): the tenant middleware answers 404 to a host that serves no network."""
    env = dict(environ)
    env.setdefault("DEBUG", "false")
    env.setdefault("SECURE_COOKIES", "false")
    env.setdefault("PLATFORM_DOMAIN", "localhost")
    env.setdefault("PLATFORM_URL_SCHEME", "http")
    env.setdefault("PLATFORM_URL_PORT", PORT)
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = demo_secret_key()
    return env


def main() -> int:
    started_db = False
    env = demo_env(os.environ)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"], started_db = devdb.ensure_running()
    children: list[subprocess.Popen] = []
    try:
        manage("migrate_schemas", "--noinput", "-v0", env=env)
        manage("tenants", "template", env=env)
        manage("tenants", "demo", env=env)
        manage("directory", "seed", env=env)
        children.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"0.0.0.0:{PORT}", "--noreload"],
                cwd=REPO,
                env=env,
            )
        )
        children.append(
            subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=REPO, env=env)
        )
        platform = f"http://{env['PLATFORM_DOMAIN']}:{PORT}/"
        print(f"\nEntraide demo: platform home {platform}, operators' admin {platform}admin/")
        print("Emails (invitations) are printed by the worker below. Ctrl-C stops everything.\n")
        while all(child.poll() is None for child in children):
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        return max(child.returncode or 0 for child in children)
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if started_db:
            devdb.stop()


if __name__ == "__main__":
    sys.exit(main())
