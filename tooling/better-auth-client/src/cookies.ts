/**
 * A browser's cookie jar, reduced to what the flows need: the `set-cookie` headers of one response
 * turned into the `cookie` header of the next request. A cookie set with Max-Age=0 (or an empty
 * value) is removed, as Better Auth does on sign-out.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the `set-cookie` headers of a response; returns the jar for chaining. */
  update(headers: Headers): this {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === "" || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return this;
  }

  /** Request headers carrying every cookie in the jar. */
  headers(): Headers {
    return new Headers({ cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ") });
  }
}
