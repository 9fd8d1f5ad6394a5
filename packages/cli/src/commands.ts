import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Extension, Finding, MigrationEvent, MigrationStatus, Migrator } from "@better-auth/migrate-core";
import { type AdapterModule, loadAdapter } from "./adapters.js";
import { CliError } from "./cli-error.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { Output } from "./output.js";
import type { Target } from "./target.js";

export interface CommandContext {
  target: Target;
  out: Output;
  options: { steps?: number; check: boolean; down: boolean; yes: boolean; allowDataLoss?: boolean; all: boolean; out?: string; lockTimeoutMs?: number; connectTimeoutMs?: number };
  /** What --better-auth and --extensions add to the core migrations; undefined when neither is given. */
  extensions?: readonly Extension[] | undefined;
  /** Asks a yes/no question in the terminal; undefined when there is no terminal to ask in. */
  confirm: ((question: string) => Promise<boolean>) | undefined;
}

export type Command = (ctx: CommandContext) => Promise<ExitCode>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function withMigrator<T>(ctx: CommandContext, work: (migrator: Migrator, adapter: AdapterModule) => Promise<T>): Promise<T> {
  const adapter = await loadAdapter(ctx.target);
  const migrator = adapter.createMigrator({
    url: ctx.target.url,
    ...(ctx.extensions === undefined ? {} : { extensions: ctx.extensions }),
    ...(ctx.options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: ctx.options.lockTimeoutMs }),
    ...connectTimeout(ctx),
  });
  try {
    return await work(migrator, adapter);
  } finally {
    await migrator.close();
  }
}

const connectTimeout = (ctx: CommandContext) =>
  ctx.options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: ctx.options.connectTimeoutMs };

/** Destructive commands go ahead only with --yes, or a "yes" typed in a terminal. */
async function confirmed(ctx: CommandContext, command: string, question: string): Promise<void> {
  if (ctx.options.yes) return;
  if (!ctx.confirm) {
    throw new CliError("NOT_CONFIRMED", `${command} changes the database and there is no terminal to confirm in.`, {
      hint: `Pass --yes to run ${command} without asking.`,
    });
  }
  if (!(await ctx.confirm(question))) {
    throw new CliError("NOT_CONFIRMED", `${command} cancelled; nothing was changed.`);
  }
}

/**
 * Progress lines for people: each migration when it is done (with `verb`), and, while another run
 * holds the migration lock, whom this one waits for (on stderr: it is not the command's result).
 */
function reportProgress(ctx: CommandContext, verb: (event: MigrationEvent & { type: "done" }) => string): (event: MigrationEvent) => void {
  return (event) => {
    if (event.type === "done") ctx.out.say(`  ${verb(event)} ${event.id}  (${event.durationMs} ms)`);
    if (event.type === "waiting") {
      const seconds = Math.round(event.waitedMs / 1000);
      ctx.out.say(`  waiting for the migration lock${seconds > 0 ? ` (${seconds} s)` : ""}: held by ${event.holder?.description ?? "another run"}`, "stderr");
    }
  };
}

export const up: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const started = performance.now();
    const { applied, baselined } = await migrator.up({
      onProgress: reportProgress(ctx, (event) => (event.baselined ? "baselined" : "applied")),
    });
    const total = Math.round(performance.now() - started);
    if (baselined.length > 0) ctx.out.say(`Adopted existing tables: ${baselined.map((m) => m.id).join(", ")} recorded as applied (baselined).`);
    if (applied.length === 0 && baselined.length === 0) ctx.out.say(`Nothing to apply: all ${plural(migrator.migrations.length, "migration")} are applied.`);
    else ctx.out.say(`${plural(applied.length, "migration")} applied in ${total} ms.`);
    ctx.out.result({ database: ctx.target.display, dialect: ctx.target.dialect, applied, baselined, durationMs: total });
    return EXIT.OK;
  });

export const down: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const steps = ctx.options.steps ?? 1;
    const planned = await migrator.planDown({ steps });
    const doomed = planned.map((m) => m.id);
    if (doomed.length === 0) {
      ctx.out.say("Nothing to revert: no migration is applied.");
      ctx.out.result({ database: ctx.target.display, reverted: [] });
      return EXIT.OK;
    }
    const losses = planned.flatMap((m) => m.dataLoss);
    const lost = losses.map((l) => (l.column === undefined ? `table ${l.table} (${plural(l.rows, "row")})` : `column ${l.table}.${l.column} (${plural(l.rows, "non-null value")})`));
    // Neither a "y" nor --yes is enough to drop data: that takes its own flag, named for it.
    if (losses.length > 0 && !ctx.options.allowDataLoss) {
      throw new CliError("DATA_LOSS", `Reverting ${doomed.join(", ")} would drop data: ${lost.join(", ")}. Nothing was reverted.`, {
        hint: "Back the data up first if you need it; then run down again with --allow-data-loss.",
      });
    }
    await confirmed(
      ctx,
      "down",
      `Revert ${doomed.join(", ")} on ${ctx.target.display}? ${losses.length > 0 ? `It drops ${lost.join(", ")}: that data is lost.` : "It drops no table with rows and no column with values."} [y/N] `,
    );
    const { reverted } = await migrator.down({
      steps,
      // Exactly what was confirmed, or nothing: another run may have reverted something meanwhile.
      expect: doomed,
      ...(ctx.options.allowDataLoss ? { allowDataLoss: true } : {}),
      onProgress: reportProgress(ctx, () => "reverted"),
    });
    ctx.out.say(`${plural(reverted.length, "migration")} reverted.`);
    ctx.out.result({ database: ctx.target.display, reverted });
    return EXIT.OK;
  });

/** Where unknown migrations usually come from on the command line: a flag left out. */
export const UNKNOWN_HINT = "Unknown migrations come from extensions not given here (or a newer better-auth-migrate): give the same --better-auth and --extensions as the run that applied them.";

const STATE_NOTES: Partial<Record<MigrationStatus["state"], (s: MigrationStatus) => string>> = {
  changed: () => "definition changed since it was applied",
  unknown: () => "not defined by this code",
  partial: (s) => `partly applied: ${s.progress?.stepsApplied} of ${s.progress?.steps} steps; up finishes it, down undoes it`,
};

function describeStatus(s: MigrationStatus): string {
  const when = s.appliedAt && s.state !== "partial" ? `  ${s.appliedAt.toISOString()}  (${s.durationMs} ms)` : "";
  const note = STATE_NOTES[s.state]?.(s) ?? (s.baselined ? "baselined: its tables existed already" : undefined);
  return `  ${s.state.padEnd(8)} ${s.id}${when}${note ? `  ${note}` : ""}`;
}

export const status: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const migrations = await migrator.status();
    const outstanding = migrations.filter((s) => s.state !== "applied");
    for (const s of migrations) ctx.out.say(describeStatus(s));
    if (migrations.some((s) => s.state === "unknown")) ctx.out.say(UNKNOWN_HINT);
    ctx.out.say(outstanding.length === 0 ? "Up to date." : `${plural(outstanding.length, "migration")} not up to date.`);
    ctx.out.result({ database: ctx.target.display, dialect: ctx.target.dialect, upToDate: outstanding.length === 0, migrations });
    return ctx.options.check && outstanding.length > 0 ? EXIT.PENDING : EXIT.OK;
  });

export const sqlText: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const direction = ctx.options.down ? "down" : "up";
    if (ctx.options.out) {
      const files = migrator.sqlFiles();
      for (const file of files) {
        const path = join(ctx.options.out, file.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.sql);
      }
      ctx.out.say(`Wrote ${plural(files.length, "file")} to ${ctx.options.out}: up/ applies in name order, down/ undoes in name order.`, "stderr");
      ctx.out.result({ dialect: ctx.target.dialect, out: ctx.options.out, files: files.map((f) => f.name) });
      return EXIT.OK;
    }
    const text = migrator.sql({ direction });
    if (ctx.out.json) ctx.out.result({ dialect: ctx.target.dialect, direction, sql: text });
    else ctx.out.data(text);
    return EXIT.OK;
  });

/** Findings grouped by the table (or view, function) they belong to, for people. */
function describeFindings(findings: readonly Finding[]): string[] {
  const byObject = new Map<string, Finding[]>();
  for (const f of findings) byObject.set(f.object, [...(byObject.get(f.object) ?? []), f]);
  return [...byObject].flatMap(([object, list]) => [`  ${object}`, ...list.map((f) => `    ${f.severity === "error" ? "error  " : "warning"}  ${f.message}`)]);
}

export const check: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const report = await migrator.check({ all: ctx.options.all });
    for (const line of describeFindings(report.findings)) ctx.out.say(line);
    const errors = report.findings.filter((f) => f.severity === "error").length;
    const warnings = report.findings.length - errors;
    if (report.pending.length > 0) ctx.out.say(`Pending: ${report.pending.join(", ")} (up applies them).`);
    if (report.unknown.length > 0) ctx.out.say(`Unknown: ${report.unknown.join(", ")} (the ledger lists them; give the --better-auth and --extensions that applied them).`);
    ctx.out.say(
      errors > 0
        ? `The database differs from the model: ${plural(errors, "error")}, ${plural(warnings, "warning")}.`
        : `The database matches the model${warnings > 0 ? ` (${plural(warnings, "warning")}: kept, not managed)` : ""}${report.pending.length > 0 ? " as far as it is migrated" : ""}.`,
    );
    ctx.out.result({ database: ctx.target.display, dialect: ctx.target.dialect, ...report });
    return errors > 0 ? EXIT.DRIFT : report.pending.length > 0 || report.unknown.length > 0 ? EXIT.PENDING : EXIT.OK;
  });

export const baseline: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const result = await migrator.baseline({
      onProgress: reportProgress(ctx, () => "baselined"),
    });
    ctx.out.say(
      `${plural(result.baselined.length, "migration")} recorded as applied.` +
        (result.pending.length > 0 ? ` Still to apply: ${result.pending.join(", ")} (run up).` : ""),
    );
    ctx.out.result({ database: ctx.target.display, dialect: ctx.target.dialect, ...result });
    return EXIT.OK;
  });

export const cleanup: Command = (ctx) =>
  withMigrator(ctx, async (migrator) => {
    const deleted = await migrator.cleanupExpiredSessions();
    ctx.out.say(`Deleted ${plural(deleted, "expired or inactive session")}.`);
    ctx.out.result({ database: ctx.target.display, deleted });
    return EXIT.OK;
  });

export const dbCreate: Command = async (ctx) => {
  const adapter = await loadAdapter(ctx.target);
  const { database, created } = await adapter.createDatabase({ url: ctx.target.url, ...connectTimeout(ctx) });
  ctx.out.say(created ? `Created database ${database}.` : `Database ${database} already exists; nothing to do.`);
  ctx.out.result({ database, created });
  return EXIT.OK;
};

export const dbDrop: Command = async (ctx) => {
  const adapter = await loadAdapter(ctx.target);
  await confirmed(ctx, "db drop", `Drop the database ${ctx.target.display} and everything in it? [y/N] `);
  const { database, dropped } = await adapter.dropDatabase({ url: ctx.target.url, ...connectTimeout(ctx) });
  ctx.out.say(dropped ? `Dropped database ${database}.` : `Database ${database} does not exist; nothing to do.`);
  ctx.out.result({ database, dropped });
  return EXIT.OK;
};
