import type { ApplyMode } from "../dialect/session.js";
import { ChecksumMismatchError, InvalidOptionsError, UnknownMigrationError } from "../errors.js";
import { type Migration, type Operation } from "../migrations/operations.js";
import type { LedgerEntry } from "./ledger.js";

export type Direction = "up" | "down";

/** One operation of a migration and the statements that perform it in one dialect. */
export interface Step {
  readonly operation: Operation;
  readonly statements: readonly string[];
}

/**
 * Pairs each operation with its statements. Where statements commit one by one, progress is counted
 * in operations, so each must be a single statement: the runner can then tell, after a crash,
 * whether it took effect.
 */
export function toSteps(applyMode: ApplyMode, operations: readonly Operation[], statements: readonly (readonly string[])[]): Step[] {
  return operations.map((operation, i) => {
    const rendered = statements[i]!;
    if (applyMode === "perStatement" && rendered.length > 1) {
      throw new Error(`A per-statement renderer must render each operation to at most one statement; ${operation.kind} gave ${rendered.length}.`);
    }
    return { operation, statements: rendered };
  });
}

/** Everything the ledger and the code must agree on before a run, and what follows from it. */
export class Plan {
  readonly #migrations: readonly Migration[];
  readonly #checksums: ReadonlyMap<string, string>;

  constructor(migrations: readonly Migration[], checksums: ReadonlyMap<string, string>) {
    this.#migrations = migrations;
    this.#checksums = checksums;
  }

  checksumOf(id: string): string {
    return this.#checksums.get(id)!;
  }

  /** The ledger must not list migrations this code does not define: nothing can be planned around them. */
  refuseUnknown(entries: readonly LedgerEntry[]): void {
    const unknown = entries.filter((e) => !this.#checksums.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) throw new UnknownMigrationError(unknown);
  }

  /** Applied (or partly applied) migrations whose definition changed since stop every run that would touch them. */
  refuseChanged(entries: readonly LedgerEntry[], ids: ReadonlySet<string>): void {
    const changed = entries.filter((e) => ids.has(e.id) && e.checksum !== this.#checksums.get(e.id)).map((e) => e.id);
    if (changed.length > 0) throw new ChecksumMismatchError(changed);
  }

  /**
   * What `up` applies, in definition order: migrations not in the ledger, and those a per-statement
   * run left partly applied (finished from where they stopped). A migration defined before an applied
   * one may still be pending (an extension added later, a core migration in a newer release): it is
   * applied then, because migrations only ever add to what the earlier ones built.
   */
  pending(entries: readonly LedgerEntry[]): Migration[] {
    this.refuseUnknown(entries);
    this.refuseChanged(entries, new Set(this.#migrations.map((m) => m.id)));
    const byId = new Map(entries.map((e) => [e.id, e]));
    return this.#migrations.filter((m) => {
      const entry = byId.get(m.id);
      return !entry || entry.stepsApplied !== null;
    });
  }

  /**
   * The migrations `down` reverts: the most recently applied first, but never one whose tables an
   * applied migration still builds on (a foreign key to them, a column added to them, a view over
   * them): that one goes first, whatever the ledger's timestamps say.
   */
  revertOrder(entries: readonly LedgerEntry[], steps: number): Migration[] {
    this.refuseUnknown(entries);
    const position = new Map(this.#migrations.map((m, i) => [m.id, i]));
    const byId = new Map(this.#migrations.map((m) => [m.id, m]));
    // Ties (applied in the same millisecond) go by definition order, newest first.
    const remaining = [...entries]
      .sort((a, b) => b.appliedAt.getTime() - a.appliedAt.getTime() || position.get(b.id)! - position.get(a.id)!)
      .map((e) => byId.get(e.id)!);
    const order: Migration[] = [];
    while (order.length < steps && remaining.length > 0) {
      const next = remaining.findIndex((m) => !remaining.some((other) => other !== m && buildsOn(other, m)));
      // A cycle cannot arise from migrations that only add to what came before; fall back to time order.
      order.push(...remaining.splice(next < 0 ? 0 : next, 1));
    }
    return order;
  }
}

export function validSteps(steps: number | undefined): number {
  const n = steps ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionsError(`steps must be a positive whole number, not ${String(steps)}.`);
  return n;
}

/** Tables and views a migration creates. */
function created(migration: Migration): Set<string> {
  return new Set(migration.up.flatMap((op) => (op.kind === "createTable" ? [op.table.name] : op.kind === "createView" ? [op.view.name] : [])));
}

/** Tables and views a migration's operations refer to besides its own. */
function referenced(migration: Migration): Set<string> {
  const names = migration.up.flatMap((op): string[] => {
    switch (op.kind) {
      case "createTable":
        return op.table.foreignKeys.map((fk) => fk.references.table);
      case "addColumn":
        return [op.table, ...(op.constraints.foreignKey ? [op.constraints.foreignKey.references.table] : [])];
      case "createIndex":
      case "alterColumn":
        return [op.table];
      case "createView":
        return [op.view.from.table, op.view.join.table];
      default:
        return [];
    }
  });
  return new Set(names);
}

/** `dependent` needs something `dependency` creates. */
function buildsOn(dependent: Migration, dependency: Migration): boolean {
  const theirs = created(dependency);
  return [...referenced(dependent)].some((name) => theirs.has(name) && !created(dependent).has(name));
}
