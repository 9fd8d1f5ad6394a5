import { describe, expect, it } from "vitest";
import { parseSqliteUrl } from "./sqlite-url.js";

describe("SQLite URLs", () => {
  it("name a file relative or absolute, with or without a scheme", () => {
    expect(parseSqliteUrl("sqlite:./auth.db")).toEqual({ filename: "./auth.db", readonly: false });
    expect(parseSqliteUrl("sqlite:///var/lib/auth.db")).toEqual({ filename: "/var/lib/auth.db", readonly: false });
    expect(parseSqliteUrl("sqlite://auth.db")).toEqual({ filename: "auth.db", readonly: false });
    expect(parseSqliteUrl("file:auth%20copy.db")).toEqual({ filename: "auth copy.db", readonly: false });
    expect(parseSqliteUrl("./data/auth.db")).toEqual({ filename: "./data/auth.db", readonly: false });
    expect(parseSqliteUrl(":memory:")).toEqual({ filename: ":memory:", readonly: false });
    expect(parseSqliteUrl("sqlite:./auth.db?mode=ro")).toEqual({ filename: "./auth.db", readonly: true });
  });

  it("refuse what they cannot mean", () => {
    expect(() => parseSqliteUrl("sqlite:")).toThrow(/names no file/);
    expect(() => parseSqliteUrl("sqlite:./a.db?cache=shared")).toThrow(/Unknown SQLite URL parameter "cache=shared"/);
    expect(() => parseSqliteUrl("http://example.com/a.db")).toThrow(/is not an SQLite URL/);
  });
});
