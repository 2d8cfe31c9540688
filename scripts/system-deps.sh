#!/usr/bin/env bash
# Installs the machine packages the project needs (Debian): PostgreSQL binaries for the
# private cluster and pg_dump, gettext for the French catalogue, Chromium for browser tests,
# Caddy to validate deploy/Caddyfile, Caddy and PgBouncer for the production stack test
# (tests/deploy/test_stack.py), Node.js and npm for the browser tests' axe-core
# (package.json). Does nothing for what is already there.
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
command -v caddy >/dev/null || need+=(caddy)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-client)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "Missing packages: ${need[*]}; install them (apt-get install ${need[*]})." >&2
    exit 1
  fi
fi
echo "Installing ${need[*]}…" >&2
${SUDO:-} apt-get update -qq
DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
