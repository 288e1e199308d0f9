#!/usr/bin/env bash
# What the scale e2e needs from Debian: redis-server and PostgreSQL (`postgresql`) for queue mode, haproxy for the
# crash section's readiness-gated webhooks. The e2e starts its own Redis, Postgres (initdb into a temp folder) and
# HAProxy on loopback ports and stops them after; the packages' services are neither used nor started here.
# Installs what is missing; needs root or sudo.
set -euo pipefail
LOG=/tmp/unipile-install-queue-deps.log
have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || command -v postgres >/dev/null 2>&1; }
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
have_postgres || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	echo "install-queue-deps.sh: apt-get install ${missing[*]} (log: $LOG)"
	: >"$LOG"
	if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1; then
		$SUDO apt-get update >>"$LOG" 2>&1
		$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 || {
			tail -40 "$LOG"
			echo "install-queue-deps.sh: could not install Debian's ${missing[*]} (log above)" >&2
			exit 1
		}
	fi
fi
echo "redis-server: $(redis-server --version | head -c 60)"
echo "haproxy: $(haproxy -v | head -1)"
pg=$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -1 || true)
echo "postgres: $("${pg:-postgres}" --version)"
