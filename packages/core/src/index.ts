export type {
  AllowedValuesCheck, Column, ColumnDefault, ColumnRef, ColumnType, ForeignKey, Index, JsonValue,
  KeyConstraint, ReferentialAction, Routine, TouchUpdatedAtRoutine, CleanupExpiredSessionsRoutine, Table, View, ViewCondition,
} from "./model/types.js";
export { defineTable, now, value, json, autoUpdateTriggerName, type ColumnSpec, type ColumnSpecs, type TableSpec, type TableDefinition } from "./model/define-table.js";
export * as schema from "./schema/index.js";
export { INVITATION_STATUSES } from "./schema/index.js";
export { coreMigrations } from "./migrations/core-migrations.js";
export { invertOperations, inverseOperation, type Migration, type Operation, type ColumnConstraints } from "./migrations/operations.js";
export { migrationChecksum } from "./migrations/checksum.js";
export { applyOperation, emptyModel } from "./migrations/replay.js";
export { defineExtension, resolveSchema, type Extension, type ExtensionSpec, type ResolvedSchema } from "./migrations/extensions.js";
export type { Dialect } from "./dialect/dialect.js";
export type { DialectRenderer, SchemaModel } from "./dialect/renderer.js";
export type { SchemaIntrospector } from "./dialect/introspector.js";
export type {
  CheckSnapshot, ColumnSnapshot, ForeignKeySnapshot, HookSnapshot, IndexSnapshot, KeySnapshot, RoutineSnapshot, SchemaSnapshot, TableSnapshot, ViewSnapshot,
} from "./model/snapshot.js";
export { compareSchemas, hasMatchingIndex, type CompareOptions, type DriftKind, type Finding } from "./drift/compare.js";
export type { ApplyMode, LedgerAccess, MigrationSession, PerStatementSession, TransactionalSession } from "./dialect/session.js";
export {
  createRunner, renderMigration,
  type BaselineResult, type CheckReport, type DataLoss, type DownOptions, type DownPlanEntry, type DownResult, type MigratorOptions, type SqlFile, type RunOptions, type MigrationRun, type MigrationState, type MigrationStatus, type Migrator,
  type RunnerOptions, type SqlOptions, type UpResult,
} from "./runner/migrator.js";
export type { Direction } from "./runner/plan.js";
export type { MigrationEvent } from "./runner/progress.js";
export { ledgerTable, type LedgerEntry } from "./runner/ledger.js";
export { AdoptionRefusedError } from "./runner/adopt.js";
export { DataLossError } from "./runner/data-loss.js";
export { pollForLock, type LockHolder, type LockRequest, type LockWait, type PollOptions } from "./runner/poll-lock.js";
export {
  MigrateError, ChecksumMismatchError, DatabaseAccessError, type DatabaseAccessProblem, InvalidExtensionError, InvalidOptionsError, LockTimeoutError,
  MigrationFailedError, type PartialProgress, PlanChangedError, TableBusyError, UnknownMigrationError, UnsafeColumnError,
} from "./errors.js";
export type {
  AccountsTable, ActiveSessionsView, BetterAuthDatabase, ColumnValue, DatabaseWith, InvitationTable, JsonObject,
  MemberTable, OrganizationTable, RowOf, SessionsTable, TableRow, UsersTable,
} from "./database-types.js";
export {
  betterAuthCompat, betterAuthExtensions, BETTER_AUTH_PLUGINS, type BetterAuthCompatOptions, type BetterAuthPlugin,
} from "./better-auth/compat-extensions.js";
export {
  betterAuthOptions, betterAuthPluginSchema, type BetterAuthModelOptions, type BetterAuthOptionsInput, type BetterAuthPluginSchema, type BetterAuthSchemaPlugin,
  type BetterAuthTableOptions,
} from "./better-auth/options.js";
