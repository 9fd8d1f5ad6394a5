import { EXIT_CODES_HELP } from "./exit-codes.js";

const DATABASE = `Database:
  --url URL          the database; otherwise DATABASE_URL; otherwise the embedded SQLite file
                     ./better-auth.db. postgres:// and postgresql:// need @better-auth/migrate-pg,
                     mysql:// and mariadb:// need @better-auth/migrate-mysql; sqlite:, file: or a
                     path use @better-auth/migrate-sqlite (always installed).
                     A path without a scheme is taken only when it is unambiguous: it starts with
                     ./, ../ or / (or C:\\), or ends in .db, .sqlite, .sqlite3 or .db3, or is
                     :memory:; and it holds no key=value pair. Anything else (a libpq string such as
                     "host=… dbname=…", a bare word) is refused with exit status 2, and nothing is
                     created. Percent-encode / ? # @ % in a URL's password (an @ after the host, or a
                     #, is refused); the password is never printed.
  --json             print one JSON document on stdout instead of text
  --lock-timeout MS  how long to wait for another run's migration lock (default 60000, at most
                     86400000: one day)
  --connect-timeout MS  how long to wait for a database server to answer (default 10000, at most
                     3600000: one hour)`;

/** The options that choose the migrations: every command but db create and db drop takes them. */
const MIGRATIONS = `Migrations (every command but db create and db drop; give each the same ones):
  --better-auth LIST  add what the better-auth package (1.7) needs: "core" for Better Auth itself (the
                     verification table, account passwords and tokens, updated_at on sessions and
                     accounts), or core and plugins, comma-separated, from: organization, teams,
                     two-factor, passkey, api-key, username, admin (teams needs organization).
                     Example: --better-auth organization,two-factor
  --extensions FILE  add the extensions (defineExtension results) a module exports: export default
                     [ext, …], export const extensions = […], or one extension as the default.
                     FILE is relative to the current directory: .js, .mjs or .cjs, or .ts, .mts or
                     .cts on Node.js 22.18 or newer. Applied after --better-auth's.
                     Both may be repeated. A migration the ledger holds that they do not define is
                     "unknown": status lists it, and up and down stop (exit 1).`;

const WITH_MIGRATIONS = "[--better-auth LIST] [--extensions FILE]";

export const COMMANDS: Record<string, { summary: string; usage: string; details?: string }> = {
  up: { summary: "apply every pending migration", usage: `up [--url URL] [--json] ${WITH_MIGRATIONS}`, details: "Prints each migration as it is applied, with its duration. Several runners at once are safe: one applies, the others wait and find nothing to do." },
  down: { summary: "revert the newest migrations (destructive)", usage: `down [--steps N] [--yes] [--allow-data-loss] [--url URL] [--json] ${WITH_MIGRATIONS}`, details: "Reverts one migration, or N with --steps. Asks first in a terminal (anything but y or yes, and Ctrl+D or Ctrl+C,\nis a no: exit status 5); without a terminal it needs --yes. A revert that would drop a table with rows\nor a column with values (password hashes, two-factor secrets, passkeys, roles) is refused (exit status 5),\nnaming each with its count, unless --allow-data-loss is given; the question then says what is lost.\n  --steps N          how many migrations to revert (default 1)\n  --yes              do not ask\n  --allow-data-loss  revert even what drops tables with rows and columns with values" },
  status: { summary: "list migrations: applied, pending, partial, changed or unknown", usage: `status [--check] [--url URL] [--json] ${WITH_MIGRATIONS}`, details: "  --check            exit with status 3 when anything is pending, partial, changed or unknown (to gate a deploy)" },
  check: {
    summary: "compare the live database with the model, table by table (changes nothing)",
    usage: `check [--all] [--url URL] [--json] ${WITH_MIGRATIONS}`,
    details:
      "Reports what is missing or different (errors: columns, types, nullability, defaults, keys, foreign keys\n" +
      "and their actions, checks, indexes, the updated_at trigger, views, functions and their search_path) and\n" +
      "what managed tables have beyond the model (warnings: kept, never dropped). Exit 0 when it matches, 3 when\n" +
      "migrations are pending (or the ledger lists migrations not given here), 6 when anything differs.\n  --all              also list tables and views the model does not manage",
  },
  baseline: {
    summary: "record hand-made tables that match the model as applied",
    usage: `baseline [--url URL] [--json] ${WITH_MIGRATIONS}`,
    details:
      "For a database whose tables were created by hand (psql -f, sqlx): each pending migration whose tables and\n" +
      "columns exist and match is recorded as applied; its indexes, triggers, views and functions are brought to\n" +
      "the model; nothing else runs (up applies the rest, and up does all of this by itself too). Refuses with\n" +
      "exit 6, changing nothing, when a table differs in what holds data; check lists the differences.",
  },
  sql: {
    summary: "print the SQL of every migration, or write it as files, without touching the database",
    usage: `sql [--down] [--out DIR] [--url URL | --dialect pg|mysql|sqlite] ${WITH_MIGRATIONS}`,
    details:
      "The URL (or --dialect) only picks the dialect. Each migration records itself in the ledger, so that a\n" +
      "database built from the output is up to date for status and check. The text applies as is with\n" +
      "psql -v ON_ERROR_STOP=1 -f FILE, mysql DB < FILE or sqlite3 DB < FILE.\n" +
      "  --down             the SQL that reverts everything, newest first\n" +
      "  --out DIR          write one file per migration: DIR/up/NNN_<id>.sql (apply in name order) and\n" +
      "                     DIR/down/NNN_<id>.sql (revert in name order)\n" +
      "  --dialect D        render for pg, mysql or sqlite without a database URL",
  },
  cleanup: { summary: "delete expired and inactive sessions, print how many", usage: `cleanup [--url URL] [--json] ${WITH_MIGRATIONS}` },
  "db create": { summary: "create the database the URL names (if missing)", usage: "db create [--url URL] [--json]", details: "PostgreSQL: CREATE DATABASE through the server's postgres database (needs CREATEDB). MySQL/MariaDB: CREATE DATABASE with utf8mb4 (needs CREATE). SQLite: an empty file." },
  "db drop": { summary: "drop the database the URL names (destructive)", usage: "db drop [--yes] [--url URL] [--json]", details: "Asks first in a terminal; without a terminal it needs --yes.\n  --yes              do not ask" },
};

export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `better-auth-migrate: create and upgrade the Better Auth schema (PostgreSQL, MySQL/MariaDB, SQLite).

Usage: better-auth-migrate <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join("\n")}

${DATABASE}
  --help, -h         help for a command: better-auth-migrate up --help
  --version          print the version

${MIGRATIONS}

${EXIT_CODES_HELP}
`;
}

export function commandHelp(name: string): string {
  const command = COMMANDS[name]!;
  return `better-auth-migrate ${name}: ${command.summary}

Usage: better-auth-migrate ${command.usage}
${command.details ? `\n${command.details}\n` : ""}
${DATABASE}
${name.startsWith("db ") ? "" : `\n${MIGRATIONS}\n`}
${EXIT_CODES_HELP}
`;
}
