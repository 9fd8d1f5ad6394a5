import { EXIT_CODES_HELP } from "./exit-codes.js";

const DATABASE = `Database:
  --url URL          the database; otherwise DATABASE_URL; otherwise the embedded SQLite file
                     ./better-auth.db. postgres:// and postgresql:// need @better-auth/migrate-pg,
                     mysql:// and mariadb:// need @better-auth/migrate-mysql; sqlite:, file: or a
                     path use @better-auth/migrate-sqlite (always installed).
  --json             print one JSON document on stdout instead of text
  --lock-timeout MS  how long to wait for another run's migration lock (default 60000)
  --connect-timeout MS  how long to wait for a database server to answer (default 10000)`;

export const COMMANDS: Record<string, { summary: string; usage: string; details?: string }> = {
  up: { summary: "apply every pending migration", usage: "up [--url URL] [--json]", details: "Prints each migration as it is applied, with its duration. Several runners at once are safe: one applies, the others wait and find nothing to do." },
  down: { summary: "revert the newest migrations (destructive)", usage: "down [--steps N] [--yes] [--url URL] [--json]", details: "Reverts one migration, or N with --steps. Asks first in a terminal; without a terminal it needs --yes.\n  --steps N          how many migrations to revert (default 1)\n  --yes              do not ask" },
  status: { summary: "list migrations: applied, pending, partial, changed or unknown", usage: "status [--check] [--url URL] [--json]", details: "  --check            exit with status 3 when anything is pending, partial, changed or unknown (to gate a deploy)" },
  sql: { summary: "print the DDL of every migration, without touching the database", usage: "sql [--down] [--url URL]", details: "The URL only picks the dialect. The text applies as is with psql -f, mysql or sqlite3.\n  --down             the DDL that reverts everything, newest first" },
  cleanup: { summary: "delete expired and inactive sessions, print how many", usage: "cleanup [--url URL] [--json]" },
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

${EXIT_CODES_HELP}
`;
}

export function commandHelp(name: string): string {
  const command = COMMANDS[name]!;
  return `better-auth-migrate ${name}: ${command.summary}

Usage: better-auth-migrate ${command.usage}
${command.details ? `\n${command.details}\n` : ""}
${DATABASE}

${EXIT_CODES_HELP}
`;
}
