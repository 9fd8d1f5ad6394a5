import type { BetterAuthCompatOptions, Extension, Migrator, ResolvedSchema } from "@better-auth/migrate-core";
import { CliError } from "./cli-error.js";
import type { Target } from "./target.js";

/** What the CLI needs from an adapter package; every adapter exports these names. */
export interface AdapterModule {
  /** `connectTimeoutMs` applies to server databases; SQLite has no connection to wait for. */
  createMigrator(options: { url: string; extensions?: readonly Extension[]; lockTimeoutMs?: number; connectTimeoutMs?: number }): Migrator;
  createDatabase(options: { url: string; connectTimeoutMs?: number }): Promise<{ database: string; created: boolean }>;
  dropDatabase(options: { url: string; connectTimeoutMs?: number }): Promise<{ database: string; dropped: boolean }>;
  /** Core's, as the adapter's standalone build carries them: the CLI loads no second copy of core. */
  betterAuthCompat(options?: BetterAuthCompatOptions): Extension[];
  resolveSchema(extensions?: readonly Extension[]): ResolvedSchema;
}

/**
 * Loads the adapter for the target's dialect only now, so that `--help` and bad usage never pay
 * for a database driver, and a missing optional adapter is reported as such. Its standalone build:
 * one file with core and Kysely inside, which loads in a fraction of the time of their modules one by
 * one (bench/README.md); nothing of it is shared with code outside this process.
 */
export async function loadAdapter(target: Target): Promise<AdapterModule> {
  try {
    return (await import(`${target.adapterPackage}/standalone`)) as AdapterModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes(target.adapterPackage)) {
      throw new CliError("ADAPTER_MISSING", `The ${target.dialect} URL needs ${target.adapterPackage}, which is not installed.`, {
        hint: `install ${target.adapterPackage} (pnpm add ${target.adapterPackage}) next to @better-auth/migrate-cli.`,
      });
    }
    throw error;
  }
}
