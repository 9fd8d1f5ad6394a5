// A floor for SQLite (bench/run.mjs): a minimal Node script that opens a file with better-sqlite3
// and runs a file's SQL (`exec`, several statements with their own BEGIN/COMMIT), then exits.
//   node bench/floors/sqlite.mjs DBFILE FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../packages/sqlite/package.json", import.meta.url));
const Database = require("better-sqlite3");
const [path, file] = process.argv.slice(2);
const db = new Database(path);
db.exec(readFileSync(file, "utf8"));
db.close();
