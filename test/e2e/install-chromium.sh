#!/usr/bin/env bash
# What the editor e2e needs from Debian: the `chromium` browser (/usr/bin/chromium), driven by playwright-core.
# Playwright's own browser downloads are never used (this machine reaches no download host but the registries).
# Installs it when missing; needs root or sudo.
set -euo pipefail
LOG=/tmp/unipile-install-chromium.log
BROWSER="${UNIPILE_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$BROWSER" ] && [ "$BROWSER" != /usr/bin/chromium ]; then
	echo "install-chromium.sh: UNIPILE_E2E_CHROMIUM=$BROWSER is not an executable browser" >&2
	exit 1
fi
if [ ! -x "$BROWSER" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	echo "install-chromium.sh: apt-get install chromium (log: $LOG)"
	: >"$LOG"
	if ! $SUDO apt-get install -y --no-install-recommends chromium >>"$LOG" 2>&1; then
		$SUDO apt-get update >>"$LOG" 2>&1
		$SUDO apt-get install -y --no-install-recommends chromium >>"$LOG" 2>&1 || {
			tail -40 "$LOG"
			echo "install-chromium.sh: could not install Debian's chromium (log above)" >&2
			exit 1
		}
	fi
fi
echo "chromium: $("$BROWSER" --version 2>/dev/null | head -1)"
