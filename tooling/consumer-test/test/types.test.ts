import { describe, expect, inject, test } from "vitest";
import { typecheck } from "../src/typecheck.js";

describe("a strict TypeScript application, without skipLibCheck", () => {
  // typed-consumer.ts: the Kysely table types, the application's own Kysely passed as `db`, and
  // a ts-expect-error directive where an option is wrong (a string as a pool, two connections at once).
  for (const resolution of ["bundler", "node16"]) {
    test(`moduleResolution ${resolution}, with no @types for the drivers installed`, async () => {
      const { dir } = inject("consumerProject");
      expect(await typecheck(dir, `tsconfig.${resolution}.json`)).toEqual({ code: 0, output: "" });
    });
  }

  test("the drivers' own objects (a pg Pool, a better-sqlite3 Database) where their @types are installed", async () => {
    const { typedDriversDir } = inject("consumerProject");
    expect(await typecheck(typedDriversDir, "tsconfig.json")).toEqual({ code: 0, output: "" });
  });
});
