/**
 * Characters that would let text from a database (a ledger id, an index name, a server message)
 * act on the terminal or forge lines: C0 and C1 controls (newline, escape, carriage return…), DEL,
 * and Unicode's invisible direction, joiner and line-separator controls.
 */
const UNSAFE_CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]";
const UNSAFE = new RegExp(UNSAFE_CLASS, "gu");
const ANY_UNSAFE = new RegExp(UNSAFE_CLASS, "u");

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** True when the text holds a character that `visible` would escape. */
export function hasControlCharacters(text: string): boolean {
  return ANY_UNSAFE.test(text);
}

/** The text with every unsafe character shown as an escape: \n, \r, \t, \x1b, \u202e. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}
