// What the results were measured on: machine, system and versions.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg, release } from "node:os";

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** First line of `command args` (stdout, else stderr), or "not installed". */
export function versionOf(command, args = ["--version"]) {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n")[0];
  } catch (error) {
    return error.code === "ENOENT" ? "not installed" : String(error.stderr ?? error.message).trim().split("\n")[0];
  }
}

export function machine() {
  const cpuinfo = read("/proc/cpuinfo");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const memKb = Number(/^MemTotal:\s*(\d+)/m.exec(read("/proc/meminfo"))?.[1] ?? 0);
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(read("/etc/os-release"))?.[1] ?? process.platform;
  return {
    cpu: model,
    cores,
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    os: `${os}, Linux ${release()}`,
  };
}

export const load = () => loadavg().map((v) => v.toFixed(2)).join(" ");

export function gitState(root) {
  try {
    const head = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--", "packages"], { encoding: "utf8" }).trim();
    return dirty ? `${head} with uncommitted changes in packages/` : head;
  } catch {
    return "unknown";
  }
}
