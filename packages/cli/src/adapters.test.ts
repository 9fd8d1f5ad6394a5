import { describe, expect, it } from "vitest";
import { loadAdapter } from "./adapters.js";
import { resolveTarget } from "./target.js";

describe("loadAdapter", () => {
  it("names the package to install when the URL's adapter is missing", async () => {
    // Every adapter is installed in this workspace; a target naming one that is not stands in for it.
    const target = { ...resolveTarget("mysql://user:p4ss@127.0.0.1/db", {}), adapterPackage: "@better-auth/migrate-absent" };
    const error = await loadAdapter(target).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ADAPTER_MISSING",
      message: "The mysql URL needs @better-auth/migrate-absent, which is not installed.",
      hint: "install @better-auth/migrate-absent (pnpm add @better-auth/migrate-absent) next to @better-auth/migrate-cli.",
    });
    expect(JSON.stringify(error)).not.toContain("p4ss");
  });

  it("loads the adapter each URL scheme names", async () => {
    for (const url of ["postgres://h/db", "mysql://h/db", "mariadb://h/db", "sqlite:./x.db"]) {
      const adapter = await loadAdapter(resolveTarget(url, {}));
      expect(typeof adapter.createMigrator, url).toBe("function");
      expect(typeof adapter.createDatabase, url).toBe("function");
    }
  });
});
