// A floor for PostgreSQL (bench/run.mjs): a minimal Node script that connects with `pg` and sends a
// file's SQL as one simple query (several statements, their own BEGIN/COMMIT), then exits.
//   node bench/floors/pg.mjs URL FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../packages/pg/package.json", import.meta.url));
const pg = require("pg");
const [url, file] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query(readFileSync(file, "utf8"));
await client.end();
