/** The parts of a plain `x.y.z` version. */
function parse(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`Not a plain x.y.z version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The version a bump of `kind` gives, as changesets computes it. */
export function bumped(version: string, kind: "patch" | "minor" | "major"): string {
  const [major, minor, patch] = parse(version);
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Whether `^base` accepts `version`: the same left-most non-zero part, and not older. For 0.x that
 * is the same minor, so that a minor release of core is outside the range its dependents published.
 */
export function caretAccepts(base: string, version: string): boolean {
  const b = parse(base);
  const v = parse(version);
  const fixed = b[0] !== 0 ? 1 : b[1] !== 0 ? 2 : 3;
  for (let i = 0; i < fixed; i++) if (b[i] !== v[i]) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== b[i]) return v[i]! > b[i]!;
  return true;
}
