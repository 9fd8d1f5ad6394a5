import type { AllowedValuesCheck, Column, ForeignKey, Index, KeyConstraint, Routine, Table, View } from "../model/types.js";

/**
 * A schema change, dialect-neutral. Adapters render each operation to their own SQL; a migration's
 * down is derived from its up by {@link invertOperations}, so the two can never disagree.
 */
export type Operation =
  | { readonly kind: "createTable"; readonly table: Table }
  | { readonly kind: "dropTable"; readonly table: Table }
  | { readonly kind: "addColumn"; readonly table: string; readonly column: Column; readonly constraints: ColumnConstraints }
  | { readonly kind: "dropColumn"; readonly table: string; readonly column: Column; readonly constraints: ColumnConstraints }
  /**
   * A column of an existing table changes its type, keeping its rows (PostgreSQL converts the
   * values; a dialect that cannot alter a column rebuilds the table). `from` is the column as it
   * stands, `to` as it becomes: the same name, nullability and default.
   */
  | { readonly kind: "alterColumn"; readonly table: string; readonly from: Column; readonly to: Column }
  /**
   * `concurrently`: build (or drop) it without blocking writes to the table, where the dialect can
   * (PostgreSQL's CREATE INDEX CONCURRENTLY, outside a transaction). How, not what: not in the checksum.
   */
  | { readonly kind: "createIndex"; readonly table: string; readonly index: Index; readonly concurrently?: boolean }
  | { readonly kind: "dropIndex"; readonly table: string; readonly index: Index; readonly concurrently?: boolean }
  | { readonly kind: "createView"; readonly view: View }
  | { readonly kind: "dropView"; readonly view: View }
  | { readonly kind: "createRoutine"; readonly routine: Routine }
  | { readonly kind: "dropRoutine"; readonly routine: Routine };

/** Constraints that come with a column added to an existing table. */
export interface ColumnConstraints {
  readonly unique?: KeyConstraint;
  readonly foreignKey?: ForeignKey;
  readonly check?: AllowedValuesCheck;
}

export interface Migration {
  /** Stable, sortable id, recorded in the ledger: never change it once released. */
  readonly id: string;
  /** What the migration does, for people. */
  readonly name: string;
  readonly up: readonly Operation[];
  /**
   * It only builds indexes, concurrently: where the dialect can, it runs outside a transaction (each
   * index on its own), so that tables stay writable while they build.
   */
  readonly buildsIndexesConcurrently?: boolean;
}

/** The operation that undoes `op`. */
export function inverseOperation(op: Operation): Operation {
  switch (op.kind) {
    case "createTable":
      return { kind: "dropTable", table: op.table };
    case "dropTable":
      return { kind: "createTable", table: op.table };
    case "addColumn":
      return { kind: "dropColumn", table: op.table, column: op.column, constraints: op.constraints };
    case "dropColumn":
      return { kind: "addColumn", table: op.table, column: op.column, constraints: op.constraints };
    case "alterColumn":
      return { kind: "alterColumn", table: op.table, from: op.to, to: op.from };
    case "createIndex":
      return { kind: "dropIndex", table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) };
    case "dropIndex":
      return { kind: "createIndex", table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) };
    case "createView":
      return { kind: "dropView", view: op.view };
    case "dropView":
      return { kind: "createView", view: op.view };
    case "createRoutine":
      return { kind: "dropRoutine", routine: op.routine };
    case "dropRoutine":
      return { kind: "createRoutine", routine: op.routine };
  }
}

/** The operations that undo `ops`, in reverse order. */
export function invertOperations(ops: readonly Operation[]): Operation[] {
  return ops.map(inverseOperation).reverse();
}
