import { DatabaseAccessError, type Migrator } from "@better-auth/migrate-core";
import { expect } from "vitest";

/** Runs `up`, expects it to fail with a DatabaseAccessError, closes the migrator and returns the error. */
export async function accessErrorOf(migrator: Migrator): Promise<DatabaseAccessError> {
  try {
    const error = await migrator.up().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseAccessError);
    return error as DatabaseAccessError;
  } finally {
    await migrator.close();
  }
}
