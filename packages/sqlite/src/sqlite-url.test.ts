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
    expect(() => parseSqliteUrl("sqlite:./a.db?cache=shared")).toThrow(/^Unknown SQLite URL parameter "cache"\.$/);
    expect(() => parseSqliteUrl("http://example.com/a.db")).toThrow(/is not an SQLite URL/);
  });

  it("issue 20 item 8: file:// with a host, credentials, %00 and parameter values are refused, never echoed", () => {
    expect(parseSqliteUrl("file:///var/lib/auth.db").filename).toBe("/var/lib/auth.db");
    expect(parseSqliteUrl("file://localhost/var/lib/auth.db").filename).toBe("/var/lib/auth.db");
    const refusals: [string, RegExp][] = [
      ["file://host/path.db", /names a host/],
      ["sqlite://app_user:S3cret@host/auth.db", /user name or password/],
      ["file://app_user:S3cret@host/auth.db", /user name or password/],
      ["sqlite:./a%00b.db", /control characters/],
      ["./a\u0000b.db", /control characters/],
      ["sqlite:./a.db?password=S3cret", /^Unknown SQLite URL parameter "password"\.$/],
      ["sqlite:./a.db?mode=S3cret", /^Unknown SQLite URL parameter "mode" value\.$/],
      ["sqlite:./a.db?S3cret%20x=1", /^Unknown SQLite URL parameter \(not shown\)\.$/],
    ];
    for (const [url, expected] of refusals) {
      let error: { code?: string; message: string; hint?: string } | undefined;
      try {
        parseSqliteUrl(url);
      } catch (caught) {
        error = caught as typeof error;
      }
      expect(error?.message, url).toMatch(expected);
      expect(error?.code, url).toBe("INVALID_OPTIONS");
      expect(`${error?.message} ${error?.hint}`, url).not.toContain("S3cret");
    }
  });
});
