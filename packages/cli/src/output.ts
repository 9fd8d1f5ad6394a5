/** Where the CLI writes; every string passes through {@link Output.scrub} first. */
export interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

export class Output {
  readonly #secrets: string[] = [];
  constructor(
    readonly json: boolean,
    private readonly streams: Streams,
  ) {}

  /** Strings that must never appear in output, whatever prints them. */
  addSecrets(secrets: readonly string[]): void {
    for (const s of secrets) if (s.length > 0) this.#secrets.push(s);
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join("***");
    return out;
  }

  /** A line for people: on stdout, or on stderr when stdout carries data (sql) or JSON. */
  say(line: string, where: "stdout" | "stderr" = "stdout"): void {
    if (this.json && where === "stdout") return;
    this.streams[where].write(this.scrub(line) + "\n");
  }

  /** Raw data on stdout (the SQL text). */
  data(text: string): void {
    this.streams.stdout.write(this.scrub(text));
  }

  /** The one JSON document of a --json run. */
  result(value: unknown): void {
    if (this.json) this.streams.stdout.write(this.scrub(JSON.stringify(value, null, 2)) + "\n");
  }

  error(error: { code: string; message: string; hint?: string | undefined }): void {
    if (this.json) {
      this.streams.stdout.write(this.scrub(JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint ?? null } }, null, 2)) + "\n");
      return;
    }
    this.streams.stderr.write(this.scrub(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`));
  }
}
