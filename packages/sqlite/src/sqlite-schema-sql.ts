import { closingParen, isOperator, isWord, nameOf, normalTokens, splitTopLevel, type Token, tokenize, unwrap } from "./sqlite-normal-form.js";

/**
 * What the pragmas do not say and only the CREATE text in sqlite_schema does: the CHECK
 * constraints, and the names given to keys, foreign keys and checks. Read with the tokenizer, so
 * commas, parentheses and keywords inside strings, quoted names, defaults and comments are never
 * taken for the table's structure.
 */
export interface DeclaredConstraint {
  readonly kind: "primaryKey" | "unique" | "check" | "foreignKey";
  /** The name after CONSTRAINT, if the table gave one. */
  readonly name: string | undefined;
  /** The constrained columns (for a check written on a column, that column). */
  readonly columns: readonly string[];
  /** A check's condition in normal form. */
  readonly expression?: string;
}

/** The column names of a parenthesised key list such as `("a", b COLLATE nocase DESC)`. */
function keyColumns(tokens: readonly Token[], open: number): { columns: string[]; end: number } {
  if (!isOperator(tokens[open], "(")) return { columns: [], end: open };
  const end = closingParen(tokens, open);
  const columns = splitTopLevel(tokens.slice(open + 1, end)).flatMap((part) => nameOf(part[0]) ?? []);
  return { columns, end: end + 1 };
}

/** After REFERENCES: skips the referenced table and its column list, returning the next index. */
function skipReference(tokens: readonly Token[], at: number): number {
  const afterTable = at + 1;
  return isOperator(tokens[afterTable], "(") ? closingParen(tokens, afterTable) + 1 : afterTable;
}

/**
 * The constraints in one column definition (`column` given) or one table constraint. Parentheses
 * that open no constraint (a type's size, a DEFAULT expression, a generated column) are skipped whole.
 */
function constraintsIn(tokens: readonly Token[], column: string | undefined): DeclaredConstraint[] {
  const found: DeclaredConstraint[] = [];
  let name: string | undefined;
  const add = (constraint: Omit<DeclaredConstraint, "name">) => {
    found.push({ ...constraint, name });
    name = undefined;
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (isWord(token, "constraint")) {
      name = nameOf(tokens[i + 1]);
      i += 2;
    } else if (isWord(token, "primary") || isWord(token, "unique")) {
      const kind = isWord(token, "primary") ? "primaryKey" : "unique";
      const open = kind === "primaryKey" ? i + 2 : i + 1;
      if (column !== undefined) {
        add({ kind, columns: [column] });
        i = open;
      } else {
        const key = keyColumns(tokens, open);
        add({ kind, columns: key.columns });
        i = key.end;
      }
    } else if (isWord(token, "check") && isOperator(tokens[i + 1], "(")) {
      const end = closingParen(tokens, i + 1);
      add({ kind: "check", columns: column === undefined ? [] : [column], expression: normalTokens(unwrap(tokens.slice(i + 2, end))) });
      i = end + 1;
    } else if (isWord(token, "foreign")) {
      const key = keyColumns(tokens, i + 2);
      add({ kind: "foreignKey", columns: key.columns });
      i = isWord(tokens[key.end], "references") ? skipReference(tokens, key.end + 1) : key.end;
    } else if (isWord(token, "references") && column !== undefined) {
      add({ kind: "foreignKey", columns: [column] });
      i = skipReference(tokens, i + 1);
    } else if (isOperator(token, "(")) {
      i = closingParen(tokens, i) + 1;
    } else {
      i++;
    }
  }
  return found;
}

const TABLE_CONSTRAINT_START = ["constraint", "primary", "unique", "check", "foreign"];

/** Every constraint a CREATE TABLE statement declares, on its columns and on the table, in order. */
export function declaredConstraints(createTable: string): DeclaredConstraint[] {
  const tokens = tokenize(createTable);
  const open = tokens.findIndex((t) => isOperator(t, "("));
  // CREATE TABLE … AS SELECT has no definitions to read.
  if (open < 0) return [];
  const items = splitTopLevel(tokens.slice(open + 1, closingParen(tokens, open)));
  return items.flatMap((item) =>
    TABLE_CONSTRAINT_START.some((w) => isWord(item[0], w)) ? constraintsIn(item, undefined) : constraintsIn(item.slice(1), nameOf(item[0])),
  );
}

/**
 * The indexed terms of a CREATE INDEX statement in normal form, in order: how an index on an
 * expression (`lower(email)`) is listed, since the pragmas give such a term no name.
 */
export function indexedTerms(createIndex: string): string[] {
  const tokens = tokenize(createIndex);
  const on = tokens.findIndex((t) => isWord(t, "on"));
  const open = tokens.findIndex((t, i) => i > on && isOperator(t, "("));
  if (on < 0 || open < 0) return [];
  return splitTopLevel(tokens.slice(open + 1, closingParen(tokens, open))).map((term) => normalTokens(term));
}
