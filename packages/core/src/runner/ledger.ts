import type { ColumnType } from "kysely";
import { defineTable, now } from "../model/define-table.js";

/** The table in the target database that records each applied migration. */
export const ledgerTable = defineTable({
  name: "better_auth_migrations",
  comment: "Migrations applied by better-auth-migrate. Do not edit by hand.",
  columns: {
    id: { type: "string", primaryKey: true },
    name: { type: "text" },
    checksum: { type: "string" },
    applied_at: { type: "timestamp", default: now() },
    duration_ms: { type: "integer" },
  },
});

export const LEDGER = ledgerTable.name;

export interface LedgerDatabase {
  better_auth_migrations: {
    id: string;
    name: string;
    checksum: string;
    /** Filled by the database; drivers return a Date, a string or a number depending on the dialect. */
    applied_at: ColumnType<unknown, never, never>;
    duration_ms: number;
  };
}

/** One row of the ledger, as read back. */
export interface LedgerEntry {
  id: string;
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}
