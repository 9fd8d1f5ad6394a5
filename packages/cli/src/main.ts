import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CliError, errorCodeOf, exitCodeOf } from "./cli-error.js";
import { baseline, check, cleanup, type Command, dbCreate, dbDrop, down, sqlText, status, UNKNOWN_HINT, up } from "./commands.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { resolveExtensions } from "./extension-options.js";
import { loadAdapter } from "./adapters.js";
import { COMMANDS, commandHelp, generalHelp } from "./help.js";
import { forPeople, Output, type Streams } from "./output.js";
import { renderOnlyTarget, resolveTarget } from "./target.js";

export interface Io extends Streams {
  env: NodeJS.ProcessEnv;
  /** Where relative --extensions paths start; the process's current directory by default. */
  cwd?: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

const HANDLERS: Record<string, Command> = { up, down, status, check, baseline, sql: sqlText, cleanup, "db create": dbCreate, "db drop": dbDrop };

/** The largest values the timeouts take: far beyond any sensible wait, and within Node's timers (2^31 - 1 ms). */
export const MAX_CONNECT_TIMEOUT_MS = 3_600_000;
export const MAX_LOCK_TIMEOUT_MS = 86_400_000;

function positiveInteger(name: string, text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError("BAD_OPTION", `${name} needs a positive whole number, not "${quoteArgument(text)}".`);
  if (n > max) throw new CliError("BAD_OPTION", `${name} is at most ${max} (ms), not ${n}.`, { hint: `A longer wait is not useful; ${max} ms is ${max / 3_600_000} h.` });
  return n;
}

/** Runs one command line and returns its exit status. Never throws. */
export async function run(argv: string[], io: Io): Promise<ExitCode> {
  const json = argv.includes("--json");
  const out = new Output(json, io);
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          url: { type: "string" },
          json: { type: "boolean" },
          yes: { type: "boolean", short: "y" },
          "allow-data-loss": { type: "boolean" },
          steps: { type: "string" },
          check: { type: "boolean" },
          down: { type: "boolean" },
          all: { type: "boolean" },
          out: { type: "string" },
          dialect: { type: "string" },
          "lock-timeout": { type: "string" },
          "connect-timeout": { type: "string" },
          "better-auth": { type: "string", multiple: true },
          extensions: { type: "string", multiple: true },
          help: { type: "boolean", short: "h" },
          version: { type: "boolean" },
        },
      });
    } catch (error) {
      throw new CliError("BAD_OPTION", (error as Error).message.split("\n")[0]!, { hint: "See better-auth-migrate --help." });
    }
    const { values, positionals } = parsed;
    if (values.version) {
      const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
      io.stdout.write(`${pkg.version}\n`);
      return EXIT.OK;
    }
    const name = positionals[0] === "db" && positionals[1] ? `db ${positionals[1]}` : positionals[0];
    if (values.help || name === "help") {
      const topic = name === "help" ? positionals.slice(1).join(" ") : name;
      io.stdout.write(topic && COMMANDS[topic] ? commandHelp(topic) : generalHelp());
      return EXIT.OK;
    }
    if (!name) {
      io.stderr.write(generalHelp());
      return EXIT.USAGE;
    }
    const handler = HANDLERS[name];
    if (!handler) throw new CliError("UNKNOWN_COMMAND", `Unknown command "${positionals.map(quoteArgument).join(" ")}".`, { hint: "See better-auth-migrate --help." });
    const expected = name.startsWith("db ") ? 2 : 1;
    if (positionals.length > expected) {
      throw new CliError("BAD_ARGUMENT", `Unexpected argument "${quoteArgument(positionals[expected]!)}".`, { hint: `See better-auth-migrate ${name} --help; a database URL goes after --url.` });
    }

    if ((values.out !== undefined || values.dialect !== undefined) && name !== "sql") {
      throw new CliError("BAD_OPTION", `${values.out !== undefined ? "--out" : "--dialect"} belongs to the sql command.`, { hint: "See better-auth-migrate sql --help." });
    }
    if (values["allow-data-loss"] !== undefined && name !== "down") {
      throw new CliError("BAD_OPTION", "--allow-data-loss belongs to the down command.", { hint: "See better-auth-migrate down --help." });
    }
    const databaseGiven = values.url !== undefined || Boolean(io.env.DATABASE_URL);
    if (values.dialect !== undefined && databaseGiven) {
      throw new CliError("BAD_OPTION", "--dialect is for rendering without a database; the URL already names the dialect.", { hint: "Leave out either --dialect or --url/DATABASE_URL." });
    }
    const betterAuth = values["better-auth"] ?? [];
    const extensionPaths = values.extensions ?? [];
    if (name.startsWith("db ") && (betterAuth.length > 0 || extensionPaths.length > 0)) {
      throw new CliError("BAD_OPTION", `${betterAuth.length > 0 ? "--better-auth" : "--extensions"} chooses migrations; ${name} does not run any.`, { hint: `See better-auth-migrate ${name} --help.` });
    }
    const lockTimeoutMs = positiveInteger("--lock-timeout", values["lock-timeout"], MAX_LOCK_TIMEOUT_MS);
    const connectTimeoutMs = positiveInteger("--connect-timeout", values["connect-timeout"], MAX_CONNECT_TIMEOUT_MS);
    const steps = positiveInteger("--steps", values.steps);
    const target = values.dialect !== undefined ? renderOnlyTarget(values.dialect) : resolveTarget(values.url, io.env);
    // Core comes with the adapter the URL names (its standalone build), loaded only if a flag needs it.
    const extensions = await resolveExtensions({ betterAuth, extensions: extensionPaths }, io.cwd ?? process.cwd(), () => loadAdapter(target));
    const announce = target.embedded
      ? `Using the embedded SQLite database ${target.display} (no --url or DATABASE_URL set).`
      : `Database: ${target.display}`;
    out.say(announce, name === "sql" ? "stderr" : "stdout");

    const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY);
    return await handler({
      target,
      extensions,
      out,
      options: { check: values.check === true, down: values.down === true, yes: values.yes === true, allowDataLoss: values["allow-data-loss"] === true, all: values.all === true, ...(values.out ? { out: values.out } : {}), ...(steps ? { steps } : {}), ...(lockTimeoutMs ? { lockTimeoutMs } : {}), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) },
      confirm: interactive ? (question) => ask(question, io) : undefined,
    });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; hint?: unknown; migrationId?: unknown; applied?: unknown } | null | undefined;
    const code = errorCodeOf(error);
    const message = typeof e?.message === "string" ? e.message : String(error);
    out.error({
      code,
      // Our own messages are one line (with database text escaped when shown); an unexpected
      // error's first line is what it says.
      message: code === "ERROR" ? message.split("\n")[0]! : message,
      hint: code === "UNKNOWN_MIGRATION" ? UNKNOWN_HINT : typeof e?.hint === "string" ? e.hint : undefined,
      ...(code === "ERROR" && typeof e?.code === "string" ? { driverCode: e.code } : {}),
      ...(typeof e?.migrationId === "string" ? { migrationId: e.migrationId } : {}),
      ...(Array.isArray(e?.applied) ? { applied: e.applied as { id: string; durationMs: number }[] } : {}),
    });
    return exitCodeOf(error);
  }
}

/**
 * Arguments are echoed in errors only when they hold nothing but plain name characters: a URL, a
 * key=value connection string or anything else may carry a password in any form.
 */
function quoteArgument(text: string): string {
  if (text.includes("://") || text.includes("@")) return "(a URL)";
  return /^[\w.,:/+-]{1,64}$/.test(text) ? text : "(not shown)";
}

/** Asks in the terminal. Anything but y or yes is a no; so are end of input (Ctrl+D) and Ctrl+C. */
async function ask(question: string, io: Io): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  // Ctrl+C and Ctrl+D reject the question ("Aborted with Ctrl+D"); end of input may also just close
  // the interface, leaving the question unanswered. Each is a no.
  const closed = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
  const answered = rl.question(forPeople(question)).catch(() => "");
  try {
    const answer = await Promise.race([answered, closed]);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
