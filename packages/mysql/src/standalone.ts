/**
 * The adapter as one self-contained file: this package, `@better-auth/migrate-core` and Kysely
 * bundled together (the database driver stays an import). For a process that uses nothing else of
 * them, such as the `better-auth-migrate` command, which loads it only when a URL names this
 * dialect. An application imports the package itself, which shares its Kysely and core.
 */
export * from "./index.js";
export { betterAuthCompat, resolveSchema } from "@better-auth/migrate-core";
