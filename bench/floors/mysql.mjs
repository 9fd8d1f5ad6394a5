// A floor for MySQL/MariaDB (bench/run.mjs): a minimal Node script that sends a file's SQL over one
// mysql2 connection, as one multi-statement query (the fastest way mysql2 has), then exits.
//   node bench/floors/mysql.mjs URL FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../packages/mysql/package.json", import.meta.url));
const mysql = require("mysql2/promise");
const [url, file] = process.argv.slice(2);
const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
await connection.query(readFileSync(file, "utf8"));
await connection.end();
