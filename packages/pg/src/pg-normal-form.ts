/**
 * The normal form in which PostgreSQL facts are compared: the introspector applies these to what
 * the catalog says (`format_type`, `pg_get_expr`, `pg_get_constraintdef`, `pg_get_viewdef`,
 * `prosrc`), `describe` applies the same functions to what the renderer writes. Each spelling is
 * decided here, once.
 */

/** SQL text split into string literals, quoted identifiers and the code between them. */
const SEGMENT = /'(?:[^']|'')*'?|"(?:[^"]|"")*"?|[^'"]+/g;

/** Applies `code` to the text outside literals and quoted identifiers; `identifier` to quoted identifiers. */
function rewrite(sql: string, code: (text: string) => string, identifier: (quoted: string) => string = (quoted) => quoted): string {
  return (sql.match(SEGMENT) ?? []).map((s) => (s.startsWith("'") ? s : s.startsWith('"') ? identifier(s) : code(s))).join("");
}

/**
 * `E'a\\b'` → `'a\b'`. The renderer writes a literal holding a backslash in the escape syntax, which
 * means the same whatever standard_conforming_strings says; the catalog prints such a value plain
 * (or as `E''` where the setting is off). Both only ever double backslashes and quotes, so undoing
 * the doubled backslashes gives the one spelling compared.
 */
export function plainLiterals(sql: string): string {
  const segments = sql.match(SEGMENT) ?? [];
  let text = "";
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1];
    if (next?.startsWith("'") && !segment.startsWith("'") && !segment.startsWith('"') && /(?:^|[^a-z0-9_$])e$/i.test(segment)) {
      text += segment.slice(0, -1) + next.replaceAll("\\\\", "\\");
      i++;
    } else {
      text += segment;
    }
  }
  return text;
}

/** A value as the catalog spells it in a default or a check (with standard_conforming_strings on): for comparing only, never to run. */
export function catalogLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `"Weird"` → `Weird`; the catalog quotes only identifiers that need it, the renderer quotes all. */
function unquote(quoted: string): string {
  return quoted.startsWith('"') ? quoted.slice(1, quoted.endsWith('"') && quoted.length > 1 ? -1 : undefined).replaceAll('""', '"') : quoted;
}

/**
 * A cast as the catalog prints it: `::text`, `::character varying(255)`, `::timestamp with time zone`,
 * `::text[]`. Multi-word type names are listed, so that `x::text and y` keeps its `and`.
 */
const CAST =
  /::(?:character varying|double precision|bit varying|(?:timestamp|time)(?:\(\d+\))? with(?:out)? time zone|[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*/gi;

const collapseWhitespace = (text: string) => text.replace(/\s+/g, " ");

/** Parentheses the catalog adds or drops at will; an empty argument list, as in `now()`, stays. */
const withoutParentheses = (text: string) => text.replace(/\((?!\))/g, " ").replace(/(?<!\()\)/g, " ");

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The SQL standard's long spellings that `format_type` prints, and the short ones we compare. */
const TYPE_SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/^character varying/, "varchar"],
  [/^character(?=\(|\[|$)/, "char"],
  [/^timestamp(\(\d+\))? with time zone/, "timestamptz$1"],
  [/^timestamp(\(\d+\))? without time zone/, "timestamp$1"],
  [/^time(\(\d+\))? with time zone/, "timetz$1"],
  [/^time(\(\d+\))? without time zone/, "time$1"],
  [/^bit varying/, "varbit"],
];

/** `character varying(255)` → `varchar(255)`, `timestamp with time zone` → `timestamptz`; others as printed. */
export function normalType(formatted: string): string {
  const type = formatted.trim().toLowerCase();
  for (const [long, short] of TYPE_SPELLINGS) if (long.test(type)) return type.replace(long, short);
  return type;
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

/** The same instant for the whole transaction, whichever way it is spelled. */
const CURRENT_TIME = /^(?:now\(\)|current_timestamp|transaction_timestamp\(\))$/i;
const NUMERIC_TYPES = /^(?:smallint|integer|bigint|int[248]?|numeric(?:\(.*\))?|real|double precision|float[48]?)$/i;
const JSON_TYPES = /^jsonb?$/i;
const LITERAL = /^'(?:[^']|'')*'$/;
const TRAILING_CAST = new RegExp(`(${CAST.source})$`, "i");

/** Removes parentheses that enclose the whole expression: `(('x'))` → `'x'`. */
function stripOuterParentheses(expression: string): string {
  let text = expression.trim();
  while (text.startsWith("(") && closingParenthesis(text) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** Where the parenthesis opening `text` closes, skipping literals and quoted identifiers; -1 if it does not. */
function closingParenthesis(text: string): number {
  let depth = 0;
  let at = 0;
  for (const segment of text.match(SEGMENT) ?? []) {
    if (!segment.startsWith("'") && !segment.startsWith('"')) {
      for (let i = 0; i < segment.length; i++) {
        if (segment[i] === "(") depth++;
        else if (segment[i] === ")" && --depth === 0) return at + i;
      }
    }
    at += segment.length;
  }
  return -1;
}

/** JSON with keys sorted and no spaces: jsonb reorders keys, `JSON.stringify` keeps the model's order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A literal's text, canonical when it holds JSON. */
function jsonLiteral(literal: string): string {
  try {
    return `'${canonicalJson(JSON.parse(literal.slice(1, -1).replaceAll("''", "'"))).replaceAll("'", "''")}'`;
  } catch {
    return literal;
  }
}

/**
 * A column default without the casts the catalog adds: `'member'::text` and `'member'::character
 * varying` → `'member'`, `'{}'::jsonb` → `'{}'` (JSON canonical), `'-1'::integer` → `-1`,
 * `CURRENT_TIMESTAMP` → `now()`. Anything else as printed.
 */
export function normalDefault(expression: string | null | undefined): string | null {
  if (expression === null || expression === undefined) return null;
  expression = plainLiterals(expression);
  let text = stripOuterParentheses(expression);
  const casts: string[] = [];
  for (let cast = TRAILING_CAST.exec(text); cast; cast = TRAILING_CAST.exec(text)) {
    casts.push(cast[1]!.slice(2));
    text = stripOuterParentheses(text.slice(0, cast.index));
  }
  if (casts.length === 0 && CURRENT_TIME.test(text)) return "now()";
  if (!LITERAL.test(text)) return casts.length === 0 ? text : expression.trim();
  if (casts.some((type) => JSON_TYPES.test(type))) return jsonLiteral(text);
  const inner = text.slice(1, -1);
  if (casts.some((type) => NUMERIC_TYPES.test(type)) && /^-?\d+(?:\.\d+)?$/.test(inner)) return inner;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/** The one spelling of "column holds one of these values": `status in ('a','b')`. */
export function allowedValuesExpression(column: string, quotedValues: readonly string[]): string {
  return `${column} in (${quotedValues.join(",")})`;
}

/** Lower-case code without casts and parentheses, identifiers unquoted, whitespace collapsed. */
function flatten(sql: string): string {
  // Whitespace is collapsed in the code only: inside a literal a tab or a line break is part of the value.
  const code = (text: string) => collapseWhitespace(withoutParentheses(text.toLowerCase().replace(CAST, "")));
  return rewrite(sql, code, unquote).trim();
}

const ANY_ARRAY = /^(\S+) = any array\[('(?:[^']|'')*'(?:, '(?:[^']|'')*')*)\]$/;

/**
 * A check constraint as `pg_get_constraintdef` prints it, in normal form. `CHECK (s IN ('a','b'))`
 * comes back as `s = ANY (ARRAY['a'::text, 'b'::text])` on a text column and as
 * `s::text = ANY (ARRAY['a'::character varying, …]::text[])` on a varchar one: both become
 * {@link allowedValuesExpression}. Other checks: lower case, casts and outer parentheses removed.
 */
export function normalCheck(definition: string): string {
  const condition = plainLiterals(definition).trim().replace(/^check\s*/i, "").replace(/\s+not valid$/i, "");
  const list = ANY_ARRAY.exec(flatten(condition));
  if (list) return allowedValuesExpression(list[1]!, list[2]!.match(/'(?:[^']|'')*'/g) ?? []);
  const code = (text: string) => collapseWhitespace(text.toLowerCase().replace(CAST, ""));
  return stripOuterParentheses(rewrite(condition, code, unquote).trim());
}

// ---------------------------------------------------------------------------------------------
// Views and routines
// ---------------------------------------------------------------------------------------------

/**
 * A cast from one string type to another, which `pg_get_viewdef` prints where a hand-made varchar
 * column meets text (`u.id::text = s.user_id::text`): it changes no value. Every other cast is kept:
 * `expires_at > now()::date` keeps a session a day past its expiry.
 */
const STRING_CAST = /::(?:character varying|varchar|text|bpchar)(?:\(\d+\))?(?![a-z0-9_])(?:\[\])*/gi;

/**
 * A view's query in normal form: identifiers unquoted, casts between string types, parentheses and the word AS removed,
 * lower case outside literals, whitespace collapsed, no trailing semicolon. `pg_get_viewdef` adds
 * parentheses, casts and aliases of its own and lays the text out on several lines; this is what
 * survives of both its text and ours. Names are compared unqualified: the introspector reads the
 * definition with the search_path set to the schema, and `describe` renders it without the schema.
 */
export function normalViewQuery(query: string): string {
  const code = (text: string) => collapseWhitespace(withoutParentheses(text.toLowerCase().replace(STRING_CAST, "")).replace(/\bas\b/g, " "));
  return collapseWhitespace(rewrite(query, code, unquote)).trim().replace(/\s*;$/, "").replace(/ ,/g, ",");
}

/** The search_path every routine of ours pins, as pg_proc.proconfig spells it. */
export const PINNED_SEARCH_PATH = "search_path=pg_catalog, pg_temp";

/**
 * A routine as compared: its result type, language and body, whitespace collapsed. The body is
 * kept otherwise verbatim, schema qualifiers included: with a pinned search_path a body that lost
 * them would no longer find its tables, so that is a difference worth reporting.
 */
export function routineDefinition(returns: string, language: string, body: string): string {
  const text = rewrite(body, collapseWhitespace).trim().replace(/\s*;$/, "");
  return `returns ${normalType(returns)} language ${language.toLowerCase()} as ${text}`;
}

/** The result type a {@link routineDefinition} states, e.g. `integer` or `void`. */
export function routineReturnType(definition: string): string | undefined {
  return /^returns (.+?) language /.exec(definition)?.[1];
}

/** An index key as `pg_get_indexdef(oid, k, true)` prints it: a column (quoted if it must be) or an expression. */
export function normalIndexKey(key: string): string {
  return /^"(?:[^"]|"")*"$/.test(key) ? unquote(key) : key;
}
