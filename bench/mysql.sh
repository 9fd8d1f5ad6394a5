#!/usr/bin/env bash
# `up` on an empty MariaDB database against its floors (SPEC §7), reported as ratios of medians:
# the mariadb client reading the DDL, and a minimal Node script sending the same DDL over one mysql2
# connection (bench/mysql-floor.mjs). Starts its own MariaDB on 127.0.0.1 (as the mysql user) and
# removes it afterwards. Needs: source tooling/env.sh && pnpm install && pnpm build; hyperfine and
# mariadb-server (apt-get install -y hyperfine mariadb-server). Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
cli="node $(pwd)/packages/cli/dist/cli.js"
runs=${BENCH_RUNS:-30}
work=$(mktemp -d)
chown mysql:mysql "$work"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
stop() {
  if [ -f "$work/pid" ]; then kill "$(cat "$work/pid")" 2>/dev/null || true; sleep 1; fi
  rm -rf "$work"
}
trap stop EXIT

mariadb-install-db --no-defaults --user=mysql --datadir="$work/data" --auth-root-authentication-method=normal --skip-test-db >/dev/null
mariadbd --no-defaults --user=mysql --datadir="$work/data" --socket="$work/sock" --port="$port" --bind-address=127.0.0.1 \
  --pid-file="$work/pid" --log-error="$work/err.log" --skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 &
for _ in $(seq 100); do mariadb --no-defaults -S "$work/sock" -u root -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
mariadb --no-defaults -S "$work/sock" -u root -e "CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL ON *.* TO 'bench'@'127.0.0.1'"
client="mariadb --no-defaults -h 127.0.0.1 -P $port -u bench -pbench"
url="mysql://bench:bench@127.0.0.1:$port"

$cli sql --url "$url/bench_a" > "$work/ddl.sql" 2>/dev/null
$cli --help >/dev/null # warm the compile cache once
fresh="$client -e 'DROP DATABASE IF EXISTS bench_a; DROP DATABASE IF EXISTS bench_b; DROP DATABASE IF EXISTS bench_c; CREATE DATABASE bench_a; CREATE DATABASE bench_b; CREATE DATABASE bench_c'"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/up.json" --prepare "bash -c \"$fresh\"" \
  "$client bench_a -e 'source $work/ddl.sql'" \
  "node bench/mysql-floor.mjs $url/bench_b $work/ddl.sql" \
  "$cli up --url $url/bench_c" >/dev/null
read -r client_s floor_s up_s < <(node -e 'for (const x of JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).results) console.log(x.median)' "$work/up.json" | paste -sd' ')
ratio() { node -e 'const [a,b]=process.argv.slice(1).map(Number); console.log((b/a).toFixed(2)+"x")' "$1" "$2"; }
echo "mariadb up: $(ratio "$floor_s" "$up_s") of Node + mysql2 with the same DDL (target 1.2x); floor $(ratio "$client_s" "$floor_s") of the mariadb client"
echo "  medians: mariadb client ${client_s}s, node + mysql2 ${floor_s}s, better-auth-migrate up ${up_s}s"
