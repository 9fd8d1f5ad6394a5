import { describe, expect, it } from "vitest";
import { normalDefault, normalExpression, normalSql, normalType, tokenize, viewDefinition } from "./sqlite-normal-form.js";
import { declaredConstraints, indexedTerms } from "./sqlite-schema-sql.js";

describe("SQLite tokenizer", () => {
  it("keeps quotes whole and drops comments", () => {
    expect(tokenize(`a'it''s, (x)' "we""ird" [b c] \`d\` -- a, comment (\n/* (,) */ x'0A' 1.5e3 <= ->>`)).toEqual([
      { kind: "word", text: "a" },
      { kind: "string", text: "'it''s, (x)'" },
      { kind: "identifier", text: 'we"ird' },
      { kind: "identifier", text: "b c" },
      { kind: "identifier", text: "d" },
      { kind: "blob", text: "x'0A'" },
      { kind: "number", text: "1.5e3" },
      { kind: "operator", text: "<=" },
      { kind: "operator", text: "->>" },
    ]);
  });
});

describe("SQLite normal form", () => {
  it("spells what SQLite ignores one way: case, quoting, spacing, wrapping parentheses", () => {
    expect(normalExpression(`("Status"  IN('a','B'))`)).toBe("status in ('a', 'B')");
    expect(normalExpression(`length("ip_address") <= 45`)).toBe(normalExpression("LENGTH(ip_address)<=45"));
    expect(normalSql(`SELECT "s"."id" FROM "sessions" AS "s" WHERE s.active = TRUE`)).toBe("select s.id from sessions as s where s.active = 1");
    // A name that needs its quotes keeps them.
    expect(normalSql(`"Two Words".x`)).toBe(`"two words".x`);
  });

  it("normalises defaults and declared types", () => {
    expect(normalDefault(`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)).toBe("strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    expect(normalDefault("CURRENT_TIMESTAMP")).toBe("current_timestamp");
    expect(normalDefault("FALSE")).toBe("0");
    expect(normalDefault(`"member"`)).toBe("'member'");
    expect(normalDefault(null)).toBeNull();
    expect(normalType("VARCHAR (255)")).toBe("varchar(255)");
    expect(normalType("")).toBe("");
  });

  it("reads a view's query without its name, column list or comments", () => {
    const ours = `CREATE VIEW "v" AS\n-- Managed by Better Auth.\nSELECT "s"."id" FROM "sessions" AS "s"`;
    const theirs = `create view v(id) as select s.id from sessions as s;`;
    expect(viewDefinition(ours)).toBe("select s.id from sessions as s");
    expect(viewDefinition(theirs)).toBe(viewDefinition(ours));
  });
});

describe("SQLite CREATE TABLE constraints", () => {
  it("finds checks and constraint names without being fooled by strings, defaults or comments", () => {
    const createTable = `CREATE TABLE "t" (
      -- CHECK (not a check), UNIQUE (nor this)
      "id" TEXT NOT NULL,
      note TEXT DEFAULT 'a, CHECK (b)' CHECK (note <> ')'),
      at TEXT DEFAULT (strftime('%Y', 'now')) CONSTRAINT at_iso CHECK (at GLOB '[0-9]*'),
      owner TEXT CONSTRAINT t_owner_fk REFERENCES users (id) ON DELETE CASCADE,
      code VARCHAR(10) UNIQUE,
      CONSTRAINT t_pkey PRIMARY KEY ("id"),
      CONSTRAINT "t pair" UNIQUE (note, "at" COLLATE nocase),
      FOREIGN KEY (note) REFERENCES other (x),
      CHECK ((length(code) > 1))
    ) STRICT`;
    expect(declaredConstraints(createTable)).toEqual([
      { kind: "check", name: undefined, columns: ["note"], expression: "note <> ')'" },
      { kind: "check", name: "at_iso", columns: ["at"], expression: "at glob '[0-9]*'" },
      { kind: "foreignKey", name: "t_owner_fk", columns: ["owner"] },
      { kind: "unique", name: undefined, columns: ["code"] },
      { kind: "primaryKey", name: "t_pkey", columns: ["id"] },
      { kind: "unique", name: "t pair", columns: ["note", "at"] },
      { kind: "foreignKey", name: undefined, columns: ["note"] },
      { kind: "check", name: undefined, columns: [], expression: "length(code) > 1" },
    ]);
  });

  it("reads the terms of an index on expressions", () => {
    expect(indexedTerms(`CREATE INDEX "i" ON "users" (lower("email"), name COLLATE nocase) WHERE email IS NOT NULL`)).toEqual(["lower(email)", "name collate nocase"]);
  });
});
