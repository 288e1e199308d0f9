#!/usr/bin/env bash
# The scale e2e's Redis: Debian's redis-server (the e2e starts its own on a loopback port; the package's service is
# not started). Installs it once; needs root or sudo.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
	echo "redis-server: $(redis-server --version | head -c 60)"
	exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends redis-server >/tmp/unipile-install-redis.log 2>&1; then
	$SUDO apt-get update >>/tmp/unipile-install-redis.log 2>&1
	$SUDO apt-get install -y --no-install-recommends redis-server >>/tmp/unipile-install-redis.log 2>&1 || {
		tail -40 /tmp/unipile-install-redis.log
		echo "install-redis.sh: could not install Debian's redis-server (log above)" >&2
		exit 1
	}
fi
echo "redis-server: $(redis-server --version | head -c 60)"
