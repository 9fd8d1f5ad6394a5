/**
 * SQLite's normal form: one spelling for every piece of SQL text the introspector reads back
 * (declared types, defaults, CHECK conditions, view queries, trigger bodies) and the renderer's
 * `describe` produces. Both sides go through the same functions, so two texts are equal exactly when
 * they differ only in what SQLite ignores: case of keywords and identifiers, quoting of identifiers,
 * whitespace, comments, and parentheses around a whole default or condition.
 */

export type TokenKind = "word" | "identifier" | "string" | "number" | "blob" | "operator";

export interface Token {
  readonly kind: TokenKind;
  /** A word, number or operator as written; a string or blob literal with its quotes; an identifier unquoted. */
  readonly text: string;
}

const OPERATORS = ["->>", "->", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>"];
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** Reads up to the closing `quote`, where a doubled quote stands for one; returns the end index (after it). */
function readQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/**
 * Splits SQL text into tokens, dropping whitespace and comments. Quotes are respected, so a comma,
 * a parenthesis or `--` inside a string or a quoted identifier never ends anything.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'") {
      const end = readQuoted(sql, i, "'");
      tokens.push({ kind: "string", text: sql.slice(i, end) });
      i = end;
    } else if ((c === "x" || c === "X") && next === "'") {
      const end = readQuoted(sql, i + 1, "'");
      tokens.push({ kind: "blob", text: sql.slice(i, end) });
      i = end;
    } else if (c === '"' || c === "`") {
      const end = readQuoted(sql, i, c);
      tokens.push({ kind: "identifier", text: sql.slice(i + 1, end - 1).replaceAll(c + c, c) });
      i = end;
    } else if (c === "[") {
      const end = sql.indexOf("]", i);
      const stop = end < 0 ? sql.length : end;
      tokens.push({ kind: "identifier", text: sql.slice(i + 1, stop) });
      i = stop + 1;
    } else if (DIGIT.test(c) || (c === "." && next !== undefined && DIGIT.test(next))) {
      const match = /^(0[xX][0-9A-Fa-f]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.)/.exec(sql.slice(i))!;
      tokens.push({ kind: "number", text: match[0] });
      i += match[0].length;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      tokens.push({ kind: "word", text: sql.slice(i, end) });
      i = end;
    } else {
      const operator = OPERATORS.find((op) => sql.startsWith(op, i)) ?? c;
      tokens.push({ kind: "operator", text: operator });
      i += operator.length;
    }
  }
  return tokens;
}

/** SQLite folds only ASCII letters when it compares identifiers and keywords. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export const isWord = (token: Token | undefined, word: string): boolean => token?.kind === "word" && asciiLower(token.text) === word;
export const isOperator = (token: Token | undefined, operator: string): boolean => token?.kind === "operator" && token.text === operator;

/** The name a word, quoted identifier or (as SQLite also allows) string literal stands for. */
export function nameOf(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === "word" || token.kind === "identifier") return token.text;
  if (token.kind === "string") return token.text.slice(1, -1).replaceAll("''", "'");
  return undefined;
}

/** The index of the `)` that closes the `(` at `open`, or the end of the list when it is not closed. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOperator(tokens[i], "(")) depth++;
    else if (isOperator(tokens[i], ")") && --depth === 0) return i;
  }
  return tokens.length;
}

/** Splits a token list at the commas that are not inside parentheses. */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isOperator(token, "(")) depth++;
    if (isOperator(token, ")")) depth--;
    if (depth === 0 && isOperator(token, ",")) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts.filter((p) => p.length > 0);
}

/** Drops parentheses that enclose the whole list: `((x))` and `x` are one default, one condition. */
export function unwrap(tokens: readonly Token[]): readonly Token[] {
  let rest = tokens;
  while (rest.length >= 2 && isOperator(rest[0], "(") && closingParen(rest, 0) === rest.length - 1) rest = rest.slice(1, -1);
  return rest;
}

/** Words after which `(` opens a list or a subexpression, not a function's arguments: spaced apart. */
const KEYWORDS_BEFORE_PAREN = new Set([
  "and", "as", "between", "case", "check", "else", "exists", "from", "glob", "in", "is", "join", "key", "like", "not",
  "on", "or", "references", "regexp", "select", "then", "unique", "using", "values", "when", "where",
]);

const BARE_NAME = /^[a-z_][a-z0-9_$]*$/;

function tokenText(token: Token): string {
  switch (token.kind) {
    case "word": {
      const word = asciiLower(token.text);
      // TRUE and FALSE are SQLite's spellings of 1 and 0.
      return word === "true" ? "1" : word === "false" ? "0" : word;
    }
    case "identifier": {
      const name = asciiLower(token.text);
      return BARE_NAME.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
    }
    case "number":
    case "blob":
      return asciiLower(token.text);
    case "string":
    case "operator":
      return token.text;
  }
}

function spaceBetween(previous: Token, next: Token): boolean {
  if (isOperator(previous, "(") || isOperator(previous, ".") || isOperator(next, ".")) return false;
  if (isOperator(next, ")") || isOperator(next, ",") || isOperator(next, ";")) return false;
  if (isOperator(next, "(")) {
    // A name followed by `(` calls a function or sizes a type: `strftime(…)`, `varchar(255)`, `users(id)`.
    return !(previous.kind === "identifier" || (previous.kind === "word" && !KEYWORDS_BEFORE_PAREN.has(asciiLower(previous.text))));
  }
  return true;
}

/** The normal spelling of a token list: lower-case words and identifiers, unquoted where they can be, single spaces. */
export function normalTokens(tokens: readonly Token[]): string {
  let text = "";
  tokens.forEach((token, i) => {
    if (i > 0 && spaceBetween(tokens[i - 1]!, token)) text += " ";
    text += tokenText(token);
  });
  return text;
}

/** The normal spelling of any SQL text (a trigger, a whole statement). */
export function normalSql(sql: string): string {
  return normalTokens(tokenize(sql));
}

/** A CHECK condition or any expression, without parentheses around the whole of it. */
export function normalExpression(sql: string): string {
  return normalTokens(unwrap(tokenize(sql)));
}

/**
 * A column's default as SQLite keeps it (`pragma_table_info.dflt_value`) or as the renderer writes it.
 * A lone double-quoted word in a DEFAULT is a string to SQLite (a default cannot name a column).
 */
export function normalDefault(sql: string | null): string | null {
  if (sql === null) return null;
  const tokens = unwrap(tokenize(sql));
  const only = tokens.length === 1 ? tokens[0]! : undefined;
  if (only?.kind === "identifier") return `'${only.text.replaceAll("'", "''")}'`;
  return normalTokens(tokens);
}

/** A declared column type: `VARCHAR (255)` → `varchar(255)`; a column declared without a type has `""`. */
export function normalType(declared: string): string {
  return normalTokens(tokenize(declared));
}

/**
 * Logical types SQLite has no storage type for. Our renderer pins each with a CHECK on the column;
 * the normal form folds that check into the type (`text:timestamp`), so it is compared as the type
 * it is and not as a table check.
 */
export const LOGICAL_TYPE_SUFFIX = { boolean: "boolean", timestamp: "timestamp", json: "json", ipAddress: "ip" } as const;
export type LogicalType = keyof typeof LOGICAL_TYPE_SUFFIX;
export const LOGICAL_TYPES = Object.keys(LOGICAL_TYPE_SUFFIX) as LogicalType[];

export function isLogicalType(type: string): type is LogicalType {
  return Object.hasOwn(LOGICAL_TYPE_SUFFIX, type);
}

/** The normal type of a column declared as `storage` whose CHECK pins it to `logical`. */
export function foldedType(storage: string, logical: LogicalType): string {
  return `${normalType(storage)}:${LOGICAL_TYPE_SUFFIX[logical]}`;
}

/**
 * A view's query in normal form, from its CREATE VIEW text (SQLite keeps that text as written,
 * comments included): everything after the `AS` that follows the view's name and column list.
 */
export function viewDefinition(createView: string): string {
  const tokens = tokenize(createView);
  let i = tokens.findIndex((t) => isWord(t, "view")) + 1;
  for (; i < tokens.length; i++) {
    if (isOperator(tokens[i], "(")) i = closingParen(tokens, i);
    else if (isWord(tokens[i], "as")) break;
  }
  const query = tokens.slice(i + 1);
  while (isOperator(query.at(-1), ";")) query.pop();
  return normalTokens(query);
}
