import { describe, expect, it } from "vitest";
import { isUnambiguousSqlitePath, resolveTarget } from "./target.js";

const refusal = (url: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    resolveTarget(url, env);
  } catch (error) {
    return error as { code: string; message: string; hint: string; exitCode: number };
  }
  throw new Error(`${url} was accepted`);
};

describe("resolveTarget: what --url and DATABASE_URL may be (issue 13, items 3 and 8)", () => {
  it("takes a path without a scheme only when it is unambiguously an SQLite file", () => {
    for (const path of ["./auth", "../data/auth", "/var/lib/auth", "auth.db", "Auth.SQLite", "x.sqlite3", "x.db3", ":memory:", "C:\\data\\auth", "C:/data/auth", ".\\auth", "./my data/auth.db"]) {
      expect(isUnambiguousSqlitePath(path), path).toBe(true);
      expect(resolveTarget(path, {}).dialect, path).toBe("sqlite");
    }
    for (const text of ["auth", "my database", "localhost:5432/app", "db.internal", "host=a.db", "./x password=y", "./a\nb.db", "dbname = app.db"]) {
      expect(isUnambiguousSqlitePath(text), text).toBe(false);
    }
  });

  it("refuses a libpq key=value string, from --url or DATABASE_URL, without quoting it", () => {
    for (const [url, env, source] of [
      ["host=db port=5432 user=app password=Pw1 dbname=app", {}, "The --url value"],
      [undefined, { DATABASE_URL: "dbname=app password='Pw1 2'" }, "DATABASE_URL"],
      ["sqlite:host=db password=Pw1", {}, "The --url value"],
    ] as const) {
      const error = refusal(url as string, env);
      expect(error).toMatchObject({ code: "BAD_URL", exitCode: 2 });
      expect(error.message.startsWith(source), error.message).toBe(true);
      expect(error.hint).toMatch(/sqlite:PATH.*\.db/);
      expect(JSON.stringify(error) + error.message + error.hint).not.toContain("Pw1");
    }
    expect(refusal("mydatabase").message).toBe("The --url value is neither a database URL nor an SQLite file path.");
  });

  it("refuses a server URL whose password holds an unencoded / ? or #, a fragment, a bad %-escape or no //", () => {
    for (const url of ["postgres://u:2024/Pw1@h/db", "postgres://u:8080?Pw1@h/db", "postgres://u:443#Pw1@h/db", "mysql://u:a/b@h/db", "postgres://h/db#x", "postgres://%zz@h/db", "postgres://u:%zz@h/db", "postgres:h/db", "mysql://u@h/%zz"]) {
      const error = refusal(url);
      expect(error, url).toMatchObject({ code: "BAD_URL", exitCode: 2 });
      expect(error.message + error.hint, url).not.toContain("Pw1");
    }
    expect(refusal("sqlite:%zz").message).toBe("The sqlite: URL has a malformed %-escape.");
  });

  it("shows server URLs with every password masked, and an @ in a parameter encoded", () => {
    expect(resolveTarget("postgres://u:p@ss:Pw1@h:5432/db", {}).display).toBe("postgres://u:***@h:5432/db");
    expect(resolveTarget("postgres://u@h/db?user=me@corp&password=Pw1", {}).display).toBe("postgres://u@h/db?user=me%40corp&password=***");
    expect(resolveTarget("postgresql:///app?host=/var/run/postgresql", {}).display).toBe("postgresql:///app?host=/var/run/postgresql");
    expect(resolveTarget("mysql://u:[Pw1] x@h/db", {}).display).toBe("mysql://u:***@h/db");
  });
});

describe("resolveTarget: connection strings that are not URLs (issue 20, item 8)", () => {
  it("refuses a server URL without its scheme, credentials in an SQLite path, file://HOST, %00: BAD_URL, the secret never shown", () => {
    for (const url of [
      "//postgres:S3cret@host:5432/db", "//postgres@host:5432/db", "app_user:S3cret@host/auth.db", "./app_user:S3cret@host/auth.db", "app_user:S3/cret@host/auth.db",
      "sqlite:app_user:S3cret@host/auth.db", "sqlite://app_user:S3cret@host/auth.db", "file://app_user:S3cret@host/auth.db", "file://host/path.db", "sqlite:./a%00b.db", "file:./a%0Ab.db",
    ]) {
      const error = refusal(url);
      expect(error, url).toMatchObject({ code: "BAD_URL", exitCode: 2 });
      expect(error.message + error.hint, url).not.toContain("S3cret");
    }
    expect(refusal("//postgres:S3cret@host:5432/db").message).toBe("The --url value looks like a database server's URL without its scheme (//host or user:password@host), not an SQLite file path.");
    expect(refusal("file://host/path.db").message).toBe("The file: URL names a host (file://HOST/…); SQLite opens files on this machine only.");
    // Still files: a drive letter, an @ without a password, file:///abs and file://localhost/abs.
    for (const path of ["C:\\data\\auth.db", "./backups/auth@2024.db", "file:///var/lib/auth.db", "file://localhost/var/lib/auth.db", "sqlite:///var/lib/auth.db", "sqlite://rel/auth.db"]) {
      expect(resolveTarget(path, {}).dialect, path).toBe("sqlite");
    }
  });

  it("shows an SQLite URL's parameters by name only (mode's value excepted)", () => {
    expect(resolveTarget("sqlite:./a.db?mode=ro", {}).display).toBe("sqlite:./a.db?mode=ro");
    expect(resolveTarget("sqlite:./a.db?key=S3cret&mode=rw", {}).display).toBe("sqlite:./a.db?key=***&mode=rw");
    expect(resolveTarget("file:./a.db?password=S3cret", {}).display).toBe("file:./a.db?password=***");
  });
});
