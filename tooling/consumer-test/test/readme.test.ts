import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, test } from "vitest";
import { typecheck } from "../src/typecheck.js";

/** The README a package ships, read from where the application installed it; null when there is none. */
function installedReadme(name: string): string | null {
  const file = join(inject("consumerProject").dir, "node_modules", name, "README.md");
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

/** The code blocks of a language in a Markdown text. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "gm"))].map((m) => m[1]!);
}

/** Whether a package has a programmatic entry (else it is a command: its README shows a shell example). */
function hasEntry(name: string): boolean {
  const manifest = JSON.parse(readFileSync(join(inject("consumerProject").dir, "node_modules", name, "package.json"), "utf8")) as { exports?: Record<string, unknown> };
  return manifest.exports?.["."] !== undefined;
}

describe("each package's README, as installed from its tarball", () => {
  test.each(inject("consumerProject").packages.map((p) => p.name))("%s ships a README with an example", (name) => {
    const readme = installedReadme(name);
    expect(readme, `${name} has no README.md in its tarball`).not.toBeNull();
    if (hasEntry(name)) expect(codeBlocks(readme!, "ts"), `${name}'s README has no TypeScript example`).not.toEqual([]);
    else expect(codeBlocks(readme!, "sh").join("\n")).toMatch(/better-auth-migrate /);
  });

  test("the first TypeScript example of every README type-checks in the application (strict, node16)", async () => {
    const { dir, packages } = inject("consumerProject");
    const examples = join(dir, "readme-examples");
    mkdirSync(examples, { recursive: true });
    const written = packages.flatMap(({ name }) => {
      const example = codeBlocks(installedReadme(name) ?? "", "ts")[0];
      if (example === undefined) return [];
      writeFileSync(join(examples, `${name.split("/")[1]}.ts`), example);
      return [name];
    });
    expect(written).toEqual(packages.filter((p) => hasEntry(p.name)).map((p) => p.name));
    expect(await typecheck(dir, "tsconfig.readme.json")).toEqual({ code: 0, output: "" });
  });
});
