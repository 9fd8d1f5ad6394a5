import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CliError, exitCodeOf } from "./cli-error.js";
import { baseline, check, cleanup, type Command, dbCreate, dbDrop, down, sqlText, status, up } from "./commands.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { COMMANDS, commandHelp, generalHelp } from "./help.js";
import { Output, type Streams } from "./output.js";
import { renderOnlyTarget, resolveTarget } from "./target.js";

export interface Io extends Streams {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

const HANDLERS: Record<string, Command> = { up, down, status, check, baseline, sql: sqlText, cleanup, "db create": dbCreate, "db drop": dbDrop };

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError("BAD_OPTION", `${name} needs a positive whole number, not "${text}".`);
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
          steps: { type: "string" },
          check: { type: "boolean" },
          down: { type: "boolean" },
          all: { type: "boolean" },
          out: { type: "string" },
          dialect: { type: "string" },
          "lock-timeout": { type: "string" },
          "connect-timeout": { type: "string" },
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
    if (!handler) throw new CliError("UNKNOWN_COMMAND", `Unknown command "${quoteArgument(positionals.join(" "))}".`, { hint: "See better-auth-migrate --help." });
    const expected = name.startsWith("db ") ? 2 : 1;
    if (positionals.length > expected) {
      throw new CliError("BAD_ARGUMENT", `Unexpected argument "${quoteArgument(positionals[expected]!)}".`, { hint: `See better-auth-migrate ${name} --help; a database URL goes after --url.` });
    }

    if ((values.out !== undefined || values.dialect !== undefined) && name !== "sql") {
      throw new CliError("BAD_OPTION", `${values.out !== undefined ? "--out" : "--dialect"} belongs to the sql command.`, { hint: "See better-auth-migrate sql --help." });
    }
    const databaseGiven = values.url !== undefined || Boolean(io.env.DATABASE_URL);
    if (values.dialect !== undefined && databaseGiven) {
      throw new CliError("BAD_OPTION", "--dialect is for rendering without a database; the URL already names the dialect.", { hint: "Leave out either --dialect or --url/DATABASE_URL." });
    }
    const target = values.dialect !== undefined ? renderOnlyTarget(values.dialect) : resolveTarget(values.url, io.env);
    const announce = target.embedded
      ? `Using the embedded SQLite database ${target.display} (no --url or DATABASE_URL set).`
      : `Database: ${target.display}`;
    out.say(announce, name === "sql" ? "stderr" : "stdout");

    const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY);
    const lockTimeoutMs = positiveInteger("--lock-timeout", values["lock-timeout"]);
    const connectTimeoutMs = positiveInteger("--connect-timeout", values["connect-timeout"]);
    const steps = positiveInteger("--steps", values.steps);
    return await handler({
      target,
      out,
      options: { check: values.check === true, down: values.down === true, yes: values.yes === true, all: values.all === true, ...(values.out ? { out: values.out } : {}), ...(steps ? { steps } : {}), ...(lockTimeoutMs ? { lockTimeoutMs } : {}), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) },
      confirm: interactive ? (question) => ask(question, io) : undefined,
    });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; hint?: unknown };
    out.error({
      code: typeof e?.code === "string" ? e.code : "ERROR",
      message: typeof e?.message === "string" ? e.message.split("\n")[0]! : String(error),
      hint: typeof e?.hint === "string" ? e.hint : undefined,
    });
    return exitCodeOf(error);
  }
}

/** Arguments are echoed in errors, but a URL never: it may carry a password in any form. */
function quoteArgument(text: string): string {
  return text.includes("://") ? "(a URL)" : text;
}

async function ask(question: string, io: Io): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
