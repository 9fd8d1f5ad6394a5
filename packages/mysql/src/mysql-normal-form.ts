import type { ReferentialAction } from "@better-auth/migrate-core";

/**
 * The normal form of MySQL and MariaDB schema facts: one spelling for what the two servers (and a
 * person writing DDL by hand) spell differently. The introspector passes what information_schema
 * reports through these functions; the renderer's `describe` passes the SQL it renders through the
 * same functions, so both sides of a comparison are normalised by the same code.
 *
 * Only MariaDB runs in the tests; the MySQL 8 spellings (unquoted string defaults, `_utf8mb4\'…\'`
 * expression defaults, native `json`, `= true` and doubled parentheses in view and check text) are
 * covered by the unit tests of these functions.
 */

// ---------------------------------------------------------------------------------------------
// Types

/** Integer types whose `(n)` is a display width (MariaDB and MySQL before 8.0.19), not a size. */
const INTEGER_WITH_WIDTH = /^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)/;

/**
 * A column type in normal form: lower case; `tinyint(1)` (what BOOLEAN becomes) and `bool` are
 * `boolean`; integer display widths are dropped (`int(11)` is `int`); `integer` is `int`. A
 * MariaDB `longtext` that a `json_valid` check guards is `json`, as MySQL 8 reports it
 * (`validatedAsJson`, from {@link jsonValidatedColumn}).
 */
export function normalizeColumnType(columnType: string, options: { validatedAsJson?: boolean } = {}): string {
  const type = columnType.trim().toLowerCase().replace(/\s+/g, " ");
  if (options.validatedAsJson && type === "longtext") return "json";
  if (type === "tinyint(1)" || type === "bool" || type === "boolean") return "boolean";
  return type.replace(INTEGER_WITH_WIDTH, "$1").replace(/^integer\b/, "int");
}

/** Types whose literal defaults are strings (MySQL 8 reports them without quotes). */
const QUOTED_DEFAULT_TYPES = /^(char|varchar|binary|varbinary|tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob|enum|set|json|date|datetime|timestamp|time|year)\b/;

// ---------------------------------------------------------------------------------------------
// Defaults

export interface ReportedDefault {
  /** information_schema.columns.column_default. */
  readonly columnDefault: string | null;
  /** The column's type in normal form ({@link normalizeColumnType}). */
  readonly type: string;
  /** information_schema.columns.extra (MySQL 8 marks expression defaults with DEFAULT_GENERATED). */
  readonly extra: string;
  /**
   * How the server spells column_default. MariaDB (10.2.7+): as SQL, so strings are quoted and a
   * nullable column without a default reports the word `NULL`. MySQL: a literal's bare value, and
   * expressions (DEFAULT_GENERATED) with their quotes escaped (`_utf8mb4\'{}\'`).
   */
  readonly spelling: "sql" | "value";
}

/**
 * A column default in normal form: `null` for none (or NULL), otherwise an SQL expression in
 * {@link normalizeSqlText}'s form: `'member'`, `0`, `1` (booleans), `current_timestamp(3)`, `'{}'`.
 */
export function normalizeDefault(reported: ReportedDefault): string | null {
  const { columnDefault, type, extra, spelling } = reported;
  if (columnDefault === null) return null;
  if (spelling === "sql") return columnDefault.trim().toUpperCase() === "NULL" ? null : normalizeDefaultExpression(columnDefault);
  // MySQL: CURRENT_TIMESTAMP carries DEFAULT_GENERATED too on 8.0.13+, but not on every version.
  if (/default_generated/i.test(extra) || /^current_timestamp\b/i.test(columnDefault.trim())) {
    return normalizeDefaultExpression(columnDefault.replaceAll("\\'", "'").replaceAll("\\\\", "\\"));
  }
  return QUOTED_DEFAULT_TYPES.test(type) ? sqlString(columnDefault) : normalizeDefaultExpression(columnDefault);
}

/** Spellings of "the current time" in a default; MariaDB stores NOW(3) as current_timestamp(3). */
const CURRENT_TIME = /^(current_timestamp|now|localtime|localtimestamp)(\((\d*)\))?$/;

/**
 * A default written as SQL (what a renderer or MariaDB writes), in normal form. The current time
 * is `current_timestamp(n)`, `current_timestamp()` without a precision (MySQL's bare
 * CURRENT_TIMESTAMP): the precision is kept, since a default without one loses the milliseconds.
 */
export function normalizeDefaultExpression(sql: string): string {
  const text = normalizeSqlText(sql);
  const now = CURRENT_TIME.exec(text);
  return now ? `current_timestamp(${now[3] ?? ""})` : text;
}

// ---------------------------------------------------------------------------------------------
// ON UPDATE, foreign key actions, JSON checks

/** Whether information_schema.columns.extra says the server sets the column to the current time on update. */
export function isAutoUpdate(extra: string): boolean {
  return /\bon update current_timestamp\b/i.test(extra);
}

/**
 * A foreign key's ON DELETE action in normal form. InnoDB checks foreign keys at once, never at the
 * end of a statement or transaction, so NO ACTION is RESTRICT; servers report either, depending on
 * what was written (or that nothing was).
 */
export function normalizeReferentialAction(rule: string): ReferentialAction {
  const action = rule.trim().toLowerCase().replace(/\s+/g, " ");
  switch (action) {
    case "cascade":
    case "set null":
      return action;
    case "restrict":
    case "no action":
      return "restrict";
    default:
      // SET DEFAULT, which InnoDB refuses to create: kept visible rather than mapped to something it is not.
      return action as ReferentialAction;
  }
}

/**
 * The column a check makes a JSON column, if it is one: MariaDB's JSON type is LONGTEXT with
 * `CHECK (json_valid(col))`, which the server adds itself (named after the column). The check is
 * part of the type, not a constraint of its own.
 */
export function jsonValidatedColumn(checkClause: string): string | undefined {
  const match = /^json_valid\(([a-z0-9_$]+)\)$/.exec(normalizeSqlText(checkClause));
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------
// SQL text: check clauses, view definitions, routine bodies, default expressions

type Token =
  | { readonly kind: "word"; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "punct"; readonly text: "(" | ")" | "," | "." | ";" }
  | { readonly kind: "op"; readonly text: string };

/** Words after which `(` opens a group, not a function's arguments; grouping parentheses are dropped. */
const GROUPING_AFTER = new Set(["on", "where", "and", "or", "from", "join", "having", "when", "then", "else"]);
/** Words that are not function names: `(` after them is preceded by a space. */
const KEYWORDS = new Set([...GROUPING_AFTER, "in", "not", "select", "as", "exists", "is", "like", "between", "case", "by", "union", "all", "distinct", "any", "some", "end"]);
const OPERATORS = ["<=>", "<>", "!=", ">=", "<=", "||", "&&", ":="];

/**
 * SQL text in normal form, so that what the server reports compares with what was written:
 * - identifiers without backticks, words in lower case (string literals keep their case);
 * - string literals in single quotes with `''` for a quote, character set introducers (`_utf8mb4'…'`)
 *   dropped, double-quoted strings (MySQL's default sql_mode) as single-quoted;
 * - `true`/`false` as `1`/`0` (MariaDB writes `= 1` in a view where `= TRUE` was written; MySQL keeps `true`);
 * - the database's own name as a qualifier dropped (`db`.`sessions` is `sessions`), given `database`;
 * - `AS` dropped, and an alias equal to the column it names dropped (`s.id AS id` is `s.id`);
 * - grouping parentheses dropped (MySQL 8 wraps every condition: `where ((a = 1) and (b > 2))`;
 *   MariaDB writes `from (a join b on(…))`), function-call and list parentheses kept;
 * - `inner join` is `join`; one space between tokens, none around `.`, after `(`, before `)` or
 *   `,`, after `,`, or between a function's name and its `(`; a trailing `;` dropped.
 * Grouping is compared as text, not as precedence: an edit that only moves parentheses is not seen.
 */
export function normalizeSqlText(text: string, options: { database?: string } = {}): string {
  let tokens = tokenize(text);
  if (options.database !== undefined) tokens = withoutQualifier(tokens, options.database.toLowerCase());
  tokens = withoutRedundantAliases(tokens);
  tokens = withoutGroupingParentheses(tokens);
  tokens = tokens.filter((t, i) => !(isWord(t, "inner") && isWord(tokens[i + 1], "join")));
  while (tokens.length > 0 && tokens.at(-1)?.kind === "punct" && (tokens.at(-1) as { text: string }).text === ";") tokens = tokens.slice(0, -1);
  return render(tokens);
}

function isWord(token: Token | undefined, text?: string): token is { kind: "word"; text: string } {
  return token?.kind === "word" && (text === undefined || token.text === text);
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === "punct" && token.text === text;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "`") {
      const { value, end } = quoted(text, i, "`");
      tokens.push({ kind: "word", text: value.toLowerCase() });
      i = end;
    } else if (c === "'" || c === '"') {
      const { value, end } = quoted(text, i, c);
      // A character set introducer (_utf8mb4'…') says how to read the bytes, not what the value is.
      const previous = tokens.at(-1);
      if (isWord(previous) && previous.text.startsWith("_") && /\S/.test(text[i - 1] ?? "")) tokens.pop();
      tokens.push({ kind: "string", value });
      i = end;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? "") && !isWord(tokens.at(-1)))) {
      const match = /^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?|^[0-9]+\.?/i.exec(text.slice(i))!;
      tokens.push({ kind: "number", text: match[0].toLowerCase() });
      i += match[0].length;
    } else if (/[A-Za-z_$@]/.test(c)) {
      const match = /^[A-Za-z0-9_$@]+/.exec(text.slice(i))!;
      const word = match[0].toLowerCase();
      tokens.push(word === "true" ? { kind: "number", text: "1" } : word === "false" ? { kind: "number", text: "0" } : { kind: "word", text: word });
      i += match[0].length;
    } else if (c === "(" || c === ")" || c === "," || c === "." || c === ";") {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
      tokens.push({ kind: "op", text: op });
      i += op.length;
    }
  }
  return tokens;
}

/**
 * What a backslash sequence in a string means (MySQL's escape sequences). MariaDB reports
 * defaults as SQL, and writes a line break in one as `\n`. `\%` and `\_` keep their backslash.
 */
const ESCAPES: Readonly<Record<string, string>> = { "0": "\0", b: "\b", n: "\n", r: "\r", t: "\t", Z: "\x1a", "%": "\\%", _: "\\_" };

/** A quoted string or identifier starting at `start`: the quote doubled or backslash-escaped inside. */
function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && quote !== "`" && i + 1 < text.length) {
      const next = text[i + 1]!;
      value += Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : next;
      i += 2;
    } else if (c === quote && text[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: i };
}

/** `db . name` becomes `name` where `db` is the database the objects live in. */
function withoutQualifier(tokens: readonly Token[], database: string): Token[] {
  return tokens.filter((t, i) => !(isWord(t, database) && isPunct(tokens[i + 1], ".") && !isPunct(tokens[i - 1], ".")) && !(isPunct(t, ".") && isWord(tokens[i - 1], database) && !isPunct(tokens[i - 2], ".")));
}

/** Drops `AS`, and the alias after it when it only repeats the column's own name. */
function withoutRedundantAliases(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isWord(token, "as")) {
      out.push(token);
      continue;
    }
    const alias = tokens[i + 1];
    const named = out.at(-1);
    if (isWord(alias) && isWord(named) && alias.text === named.text) i++;
  }
  return out;
}

/** Drops parentheses that only group (at the start, after `(` or after a clause word); keeps calls and lists. */
function withoutGroupingParentheses(tokens: readonly Token[]): Token[] {
  const drop = new Set<number>();
  const open: { at: number; grouping: boolean }[] = [];
  tokens.forEach((token, i) => {
    if (isPunct(token, "(")) {
      const previous = tokens[i - 1];
      const grouping = previous === undefined || isPunct(previous, "(") || (isWord(previous) && GROUPING_AFTER.has(previous.text));
      open.push({ at: i, grouping });
    } else if (isPunct(token, ")")) {
      const start = open.pop();
      if (start?.grouping) {
        drop.add(start.at);
        drop.add(i);
      }
    }
  });
  return tokens.filter((_, i) => !drop.has(i));
}

function tokenText(token: Token): string {
  return token.kind === "string" ? `'${token.value.replaceAll("'", "''")}'` : token.text;
}

function render(tokens: readonly Token[]): string {
  let out = "";
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    const noSpace =
      previous === undefined ||
      isPunct(token, ",") || isPunct(token, ")") || isPunct(token, ".") || isPunct(token, ";") ||
      isPunct(previous, "(") || isPunct(previous, ".") || isPunct(previous, ",") ||
      (isPunct(token, "(") && isWord(previous) && !KEYWORDS.has(previous.text));
    out += (noSpace ? "" : " ") + tokenText(token);
  });
  return out;
}

/** A string value as an SQL literal in normal form. */
export function sqlString(value: string): string {
  return tokenText({ kind: "string", value });
}
