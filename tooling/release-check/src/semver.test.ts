import { describe, expect, test } from "vitest";
import { bumped, caretAccepts } from "./semver.js";

describe("semver helpers", () => {
  test("bumped", () => {
    expect(bumped("0.1.0", "patch")).toBe("0.1.1");
    expect(bumped("0.1.3", "minor")).toBe("0.2.0");
    expect(bumped("1.4.3", "major")).toBe("2.0.0");
  });

  test("caretAccepts", () => {
    expect(caretAccepts("0.1.0", "0.1.1")).toBe(true);
    expect(caretAccepts("0.1.0", "0.2.0")).toBe(false);
    expect(caretAccepts("0.1.2", "0.1.1")).toBe(false);
    expect(caretAccepts("1.2.0", "1.9.0")).toBe(true);
    expect(caretAccepts("1.2.0", "2.0.0")).toBe(false);
    expect(caretAccepts("0.0.3", "0.0.4")).toBe(false);
  });
});
