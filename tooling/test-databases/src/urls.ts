/** Changes one part of a connection URL, e.g. `withUrl(url, (u) => (u.password = "x"))`. */
export function withUrl(url: string, change: (u: URL) => void): string {
  const parsed = new URL(url);
  change(parsed);
  return parsed.toString();
}
