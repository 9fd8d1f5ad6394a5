import { type Kysely, sql } from "kysely";
import type { SchemaIntrospector } from "../dialect/introspector.js";
import { MigrateError } from "../errors.js";
import { invertOperations, type Migration, type Operation } from "../migrations/operations.js";

/** Something a revert drops: a table, or one column of a table. */
export interface Drop {
  readonly migrationId: string;
  readonly table: string;
  /** Undefined when the whole table is dropped. */
  readonly column?: string;
}

/** A drop that would take data with it: the rows of a table, or the non-null values of a column. */
export interface DataLoss extends Drop {
  /** Rows of the table, or rows where the column is not null. */
  readonly rows: number;
}

/** The tables and columns reverting `migration` drops (only the first `stepsInEffect` steps of a partly applied one). */
export function dropsOf(migration: Migration, stepsInEffect = migration.up.length): Drop[] {
  return invertOperations(migration.up.slice(0, stepsInEffect)).flatMap((op: Operation): Drop[] => {
    if (op.kind === "dropTable") return [{ migrationId: migration.id, table: op.table.name }];
    if (op.kind === "dropColumn") return [{ migrationId: migration.id, table: op.table, column: op.column.name }];
    return [];
  });
}

/** `verification (3 rows)`, `accounts.password (24 values)`. */
export function describeLoss(loss: DataLoss): string {
  return loss.column === undefined ? `table ${loss.table} (${plural(loss.rows, "row")})` : `column ${loss.table}.${loss.column} (${plural(loss.rows, "non-null value")})`;
}

/** `table verification`, `column accounts.password`. */
export function describeDrop(drop: Drop): string {
  return drop.column === undefined ? `table ${drop.table}` : `column ${drop.table}.${drop.column}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Counts what each drop would take: the rows of a table, the non-null values of a column. Drops of
 * what does not exist (dropped by hand) take nothing. Read-only; the counts are exact, so a large
 * table costs a scan, which a revert is about to pay anyway.
 */
export async function countDataLoss(db: Kysely<unknown>, schema: string | undefined, introspector: SchemaIntrospector, drops: readonly Drop[]): Promise<DataLoss[]> {
  if (drops.length === 0) return [];
  const columns = await introspector.columns(db);
  const from = schema ? (db as Kysely<any>).withSchema(schema) : (db as Kysely<any>);
  const losses: DataLoss[] = [];
  for (const drop of drops) {
    const live = columns.get(drop.table);
    if (!live || (drop.column !== undefined && !live.includes(drop.column))) continue;
    let query = from.selectFrom(drop.table).select(sql<number | string | bigint>`count(*)`.as("n"));
    if (drop.column !== undefined) query = query.where(drop.column, "is not", null);
    const row = (await query.executeTakeFirst()) as { n: number | string | bigint } | undefined;
    const rows = Number(row?.n ?? 0);
    if (rows > 0) losses.push({ ...drop, rows });
  }
  return losses;
}

/** A revert would drop tables or columns that hold data, and data loss was not allowed: nothing was reverted. */
export class DataLossError extends MigrateError {
  readonly losses: readonly DataLoss[];
  constructor(losses: readonly DataLoss[]) {
    super("DATA_LOSS", `Reverting would drop data: ${losses.map(describeLoss).join(", ")}. Nothing was reverted.`, {
      hint: "Back the data up first if you need it; then run again with --allow-data-loss (API: allowDataLoss: true).",
    });
    this.losses = losses;
  }
}
