// Timing: contenders run alternately (A, B, A, B, …), each run prepared (a fresh database) outside
// the timed part; whole processes are timed with process.hrtime around spawnSync.
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";

/**
 * Runs `command args` to completion and returns its wall time in milliseconds. `stdin` is a file to
 * read from (as `< FILE`); stdout is discarded; stderr is kept for the error should it fail.
 */
export function timeProcess(command, args, { stdin, cwd, ok = [0] } = {}) {
  const input = stdin === undefined ? "ignore" : openSync(stdin, "r");
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: [input, "ignore", "pipe"], cwd, maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error) throw result.error;
    if (!ok.includes(result.status)) {
      const why = result.status === null ? `signal ${result.signal}` : `exit status ${result.status}`;
      throw new Error(`${command} ${args.join(" ")}: ${why}\n${String(result.stderr).trim()}`);
    }
    return ms;
  } finally {
    if (typeof input === "number") closeSync(input);
  }
}

/** Times an async function in this process, in milliseconds. */
export async function timeCall(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * A contender: `prepare()` (untimed; returns what `run` needs), `run(prepared)` (returns the
 * milliseconds it measured), `finish(prepared)` (untimed; drops the database).
 * Runs `warmup` untimed rounds, then `runs` timed rounds; in each round every contender runs once,
 * in the order given. Returns each contender's times, in round order.
 */
export async function alternate(contenders, { runs, warmup, onRound }) {
  const times = contenders.map(() => []);
  for (let round = -warmup; round < runs; round++) {
    for (const [i, contender] of contenders.entries()) {
      const prepared = contender.prepare ? await contender.prepare() : undefined;
      let ms;
      try {
        ms = await contender.run(prepared);
      } finally {
        if (contender.finish) await contender.finish(prepared);
      }
      if (round >= 0) times[i].push(ms);
    }
    if (round >= 0 && onRound) onRound(round, times);
  }
  return times;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Tool against floor: ratio of medians, and min and max of the ratios of the runs of each round. */
export function compare(tool, floor) {
  const pairs = tool.map((t, i) => t / floor[i]);
  return {
    toolMedian: median(tool),
    floorMedian: median(floor),
    ratio: median(tool) / median(floor),
    pairMin: Math.min(...pairs),
    pairMax: Math.max(...pairs),
  };
}

export const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
export const x = (v) => `${v.toFixed(2)}x`;
