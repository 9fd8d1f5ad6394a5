import { describe, expect, it } from "vitest";
import { forPeople, maskCredentials, Output } from "./output.js";
import { visible } from "./safe-text.js";

describe("output for people (issue 13, items 8 and 11)", () => {
  it("masks a URL's password however it is written, and password= parameters", () => {
    expect(maskCredentials("at postgres://u:2024/Secret@host/db now")).toBe("at postgres://u:***@host/db now");
    expect(maskCredentials("postgres://u:8080?Secret@host/db")).toBe("postgres://u:***@host/db");
    expect(maskCredentials("postgres://u:443#Secret@host/db")).toBe("postgres://u:***@host/db");
    expect(maskCredentials("mysql://u:p@ss@host/db")).toBe("mysql://u:***@host/db");
    expect(maskCredentials("host=h password=Secret dbname=d")).toBe("host=h password=*** dbname=d");
    expect(maskCredentials("host=h password = 'Sec ret' dbname=d")).toBe("host=h password = *** dbname=d");
    expect(maskCredentials("?user=a&sslpassword=Secret&x=1")).toBe("?user=a&sslpassword=***&x=1");
    // Words are not masked: only what stands in a password's place.
    expect(maskCredentials("the password is checked")).toBe("the password is checked");
  });

  it("escapes control characters visibly, before masking", () => {
    expect(visible("a\nb\r\tc\x1b[31m\x07\x7f\u009b\u202e\u2028")).toBe("a\\nb\\r\\tc\\x1b[31m\\x07\\x7f\\x9b\\u202e\\u2028");
    expect(visible("plain: é ü 漢字 ✓")).toBe("plain: é ü 漢字 ✓");
    // A password split by a line break is still masked as a whole.
    expect(forPeople("postgres://u:Sec\nret@h/db")).toBe("postgres://u:***@h/db");
  });

  it("writes lines and errors with database text escaped; JSON keeps it exact", () => {
    const written: string[] = [];
    const streams = { stdout: { write: (t: string) => written.push(t) }, stderr: { write: (t: string) => written.push(t) } };
    new Output(false, streams).say("  unknown  0003\n  applied  0004_forged\x1b[2K");
    new Output(false, streams).error({ code: "UNKNOWN_MIGRATION", message: "has 0003\nx", hint: "h\x1b]0;t\x07" });
    expect(written).toEqual(["  unknown  0003\\n  applied  0004_forged\\x1b[2K\n", "error: has 0003\\nx\nhint: h\\x1b]0;t\\x07\n"]);
    const json: string[] = [];
    new Output(true, { stdout: { write: (t: string) => json.push(t) }, stderr: { write: () => undefined } }).result({ id: "0003\n\x1b" });
    expect(JSON.parse(json[0]!)).toEqual({ id: "0003\n\x1b" });
    expect(json[0]).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});
