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
