import { describe, expect, test } from "vitest";
import { base32Decode, hotp, totp, totpParameters } from "./totp.js";

// RFC 6238 appendix B, SHA-1 rows: the 20-byte ASCII key "12345678901234567890", 8 digits, 30 s steps.
const rfcKey = Buffer.from("12345678901234567890", "ascii");

describe("TOTP computed in the tests", () => {
  test.each([
    [59, "94287082"],
    [1_111_111_109, "07081804"],
    [1_111_111_111, "14050471"],
    [1_234_567_890, "89005924"],
    [2_000_000_000, "69279037"],
    [20_000_000_000, "65353130"],
  ])("RFC 6238 vector at %i s", (seconds, code) => {
    expect(totp({ key: rfcKey, digits: 8, periodSeconds: 30 }, seconds * 1000)).toBe(code);
  });

  test("RFC 4226 HOTP vectors, 6 digits", () => {
    const codes = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(codes.map((_, counter) => hotp(rfcKey, counter, 6))).toEqual(codes);
  });

  test("base32 as RFC 4648 spells it", () => {
    expect(base32Decode("MZXW6YTBOI======").toString("ascii")).toBe("foobar");
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")).toEqual(rfcKey);
  });

  test("reads key, digits and period from an otpauth URI", () => {
    const parameters = totpParameters("otpauth://totp/App:a%40b.c?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=App&digits=6&period=30");
    expect(parameters).toEqual({ key: rfcKey, digits: 6, periodSeconds: 30 });
    expect(() => totpParameters("https://example.com/?secret=AAAA")).toThrow(/Not a TOTP URI/);
  });
});
