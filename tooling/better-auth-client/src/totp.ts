import { createHmac } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, as authenticator apps read the `secret` of an otpauth:// URI (padding optional). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, "").toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index === -1) throw new Error(`Not base32: ${JSON.stringify(char)} in ${JSON.stringify(text)}.`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export interface TotpParameters {
  readonly key: Buffer;
  readonly digits: number;
  readonly periodSeconds: number;
}

/** The key, digits and period an authenticator app reads from an `otpauth://totp/…` URI (SHA-1 only, as Better Auth issues). */
export function totpParameters(uri: string): TotpParameters {
  const parsed = new URL(uri);
  if (parsed.protocol !== "otpauth:" || parsed.host !== "totp") throw new Error(`Not a TOTP URI: ${uri}`);
  const algorithm = (parsed.searchParams.get("algorithm") ?? "SHA1").toUpperCase();
  if (algorithm !== "SHA1") throw new Error(`Only SHA1 TOTP URIs are supported here, not ${algorithm}.`);
  const secret = parsed.searchParams.get("secret");
  if (!secret) throw new Error(`The TOTP URI has no secret: ${uri}`);
  return {
    key: base32Decode(secret),
    digits: Number(parsed.searchParams.get("digits") ?? 6),
    periodSeconds: Number(parsed.searchParams.get("period") ?? 30),
  };
}

/** RFC 4226 HOTP with HMAC-SHA1: the code for one counter value. */
export function hotp(key: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 TOTP: the code for the time step holding `atMs` (milliseconds since 1970). */
export function totp({ key, digits, periodSeconds }: TotpParameters, atMs: number): string {
  return hotp(key, Math.floor(atMs / 1000 / periodSeconds), digits);
}
