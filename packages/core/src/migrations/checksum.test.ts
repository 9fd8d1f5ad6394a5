import { describe, expect, it } from "vitest";
import { defineTable, value } from "../model/define-table.js";
import type { Table } from "../model/types.js";
import { migrationChecksum } from "./checksum.js";
import { coreMigrations } from "./core-migrations.js";
import type { Migration, Operation } from "./operations.js";

/**
 * The checksums of released migrations, frozen: they are recorded in every database where the
 * migrations were applied, so a change here would report each of those databases as "changed" and
 * stop its `up`. If this test fails, a released migration's meaning was edited: put the change in a
 * new migration instead. Frozen with the MySQL adapter (issue 11), before the first release.
 */
const RELEASED: Record<string, string> = {
  "0001_core_tables": "9c7665fcebf5bfad679b36f9977ff8d20f011bd06cbb33044fb8cde86c91dc42",
  "0002_organization_tables": "9a2863aa782b8e6105656c4ffb353b23b0166748d9016d45adc32278890c914e",
};

/** The migration with every table (and view, routine) passed through `edit`. */
function editTables(migration: Migration, edit: (table: Table) => Table): Migration {
  return {
    ...migration,
    up: migration.up.map((op): Operation => (op.kind === "createTable" ? { ...op, table: edit(op.table) } : op)),
  };
}

describe("migration checksums", () => {
  it("of the released migrations are frozen", () => {
    expect(Object.fromEntries(coreMigrations.map((m) => [m.id, migrationChecksum(m)]))).toEqual(RELEASED);
  });

  it("ignore prose: the migration's name and the comments of tables, views and routines", () => {
    const [core] = coreMigrations;
    const reworded: Migration = {
      ...core!,
      name: "reworded",
      up: core!.up.map((op): Operation => {
        switch (op.kind) {
          case "createTable":
            return { ...op, table: { ...op.table, comment: "Reworded." } };
          case "createView":
            return { ...op, view: { ...op.view, comment: "Reworded." } };
          case "createRoutine":
            return { ...op, routine: { ...op.routine, comment: "Reworded." } };
          default:
            return op;
        }
      }),
    };
    expect(migrationChecksum(reworded)).toBe(RELEASED["0001_core_tables"]);
  });

  it("ignore optional model fields while they hold their default", () => {
    const [core] = coreMigrations;
    const explicit = editTables(core!, (t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, autoUpdate: c.autoUpdate ?? false })) }));
    expect(migrationChecksum(explicit)).toBe(RELEASED["0001_core_tables"]);
  });

  it("change when what the migration builds changes", () => {
    const [core] = coreMigrations;
    const variants: Migration[] = [
      editTables(core!, (t) => (t.name === "users" ? { ...t, columns: t.columns.map((c) => (c.name === "name" ? { ...c, type: "text" } : c)) } : t)),
      editTables(core!, (t) => (t.name === "users" ? { ...t, columns: t.columns.map((c) => (c.name === "name" ? { ...c, nullable: false } : c)) } : t)),
      editTables(core!, (t) => (t.name === "users" ? { ...t, columns: t.columns.map((c) => (c.name === "email_verified" ? { ...c, default: value(true) } : c)) } : t)),
      editTables(core!, (t) => (t.name === "sessions" ? { ...t, foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, onDelete: "restrict" })) } : t)),
      editTables(core!, (t) => (t.name === "sessions" ? { ...t, indexes: [] } : t)),
      { ...core!, up: [...core!.up, { kind: "createTable", table: defineTable({ name: "extra", comment: "", columns: { id: { type: "id", primaryKey: true } } }) }] },
    ];
    for (const variant of variants) expect(migrationChecksum(variant)).not.toBe(RELEASED["0001_core_tables"]);
  });
});
