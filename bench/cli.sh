#!/usr/bin/env bash
# Whole-process timings of the CLI against their floors (SPEC §7), reported as ratios of medians.
# Needs: source tooling/env.sh && pnpm install && pnpm build; hyperfine and sqlite3 (apt-get install
# -y hyperfine sqlite3). Runs alternate between contenders (hyperfine runs each in turn per batch).
set -euo pipefail
cd "$(dirname "$0")/.."
cli="node $(pwd)/packages/cli/dist/cli.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${BENCH_RUNS:-30}

median() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).results; for (const x of r) console.log(x.median)' "$1"; }
ratio() { node -e 'const [a,b]=process.argv.slice(1).map(Number); console.log((b/a).toFixed(2)+"x")' "$1" "$2"; }

# 1. --help against an empty Node process (target: at most 1.3x).
$cli --help >/dev/null # warm the compile cache once
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/help.json" "node -e 0" "$cli --help" >/dev/null
read -r floor help < <(median "$work/help.json" | paste -sd' ')
echo "--help: $(ratio "$floor" "$help") of node -e 0 (medians ${floor}s, ${help}s)"

# 2. SQLite up on a new file against sqlite3 reading the same DDL (target: at most 1.5x).
$cli sql --url "sqlite:$work/x.db" > "$work/ddl.sql" 2>/dev/null
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/sqlite.json" \
  --prepare "rm -f $work/a.db $work/b.db" \
  "sqlite3 $work/a.db -init $work/ddl.sql .quit" \
  "$cli up --url sqlite:$work/b.db" >/dev/null
read -r floor up < <(median "$work/sqlite.json" | paste -sd' ')
echo "sqlite up: $(ratio "$floor" "$up") of sqlite3 < ddl.sql (medians ${floor}s, ${up}s)"
