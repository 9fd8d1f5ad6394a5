import { createHash } from "node:crypto";
import type { Migration } from "./operations.js";

/** JSON with object keys sorted, so that the same definition always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The checksum of a migration is taken over its neutral definition (its operations), not over the
 * SQL an adapter renders from it. A library release that only changes how a migration renders (a
 * quoting fix, a different spelling of the same type) therefore does not alarm databases where it
 * was applied; a change to what the migration means (a column added, a type changed) does.
 */
export function migrationChecksum(migration: Migration): string {
  return createHash("sha256").update(canonicalJson({ id: migration.id, up: migration.up })).digest("hex");
}
