import { LockTimeoutError } from "../errors.js";

/** Who holds the migration lock, as far as the dialect can tell. */
export interface LockHolder {
  /** One line for people: `pid 4242 (better-auth-migrate, 10.0.0.5:51234), for 12 s`. */
  readonly description: string;
  /** The server's id of the holding session. */
  readonly session?: string;
  /** The holder's application name, where the dialect records one. */
  readonly application?: string;
  /** Where the holder connects from. */
  readonly client?: string;
  /** How long the holder has held it (or been connected, where that is all the dialect says), in ms. */
  readonly heldMs?: number;
}

/** Reported while a run waits for another's lock: at once, then every few seconds. */
export interface LockWait {
  readonly waitedMs: number;
  readonly holder: LockHolder | undefined;
}

/** How a transaction that takes the migration lock waits for it: as long as a run would, saying whom it waits for. */
export interface LockRequest {
  readonly timeoutMs: number;
  readonly onWait?: (wait: LockWait) => void;
}

export interface PollOptions {
  timeoutMs: number;
  pollMs: number;
  /** Who holds the lock; asked on the same connection between attempts. */
  describeHolder?: () => Promise<LockHolder | undefined>;
  onWait?: (wait: LockWait) => void;
  /** How often `onWait` repeats while the wait goes on. Default 5 000 ms. */
  reportEveryMs?: number;
}

/**
 * Calls `tryLock` until it takes the lock, sleeping `pollMs` between attempts (never past the
 * deadline), and throws {@link LockTimeoutError} naming the holder once `timeoutMs` has passed. For
 * adapters whose lock is taken with a non-blocking attempt, so that waiting never blocks the event
 * loop and can say, while it lasts, whom it waits for.
 */
export async function pollForLock(tryLock: () => Promise<boolean>, options: PollOptions): Promise<void> {
  const { timeoutMs, pollMs, reportEveryMs = 5_000 } = options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let holder: LockHolder | undefined;
  let nextReport = started;
  for (;;) {
    if (await tryLock()) return;
    const now = Date.now();
    if (now >= nextReport || now >= deadline) {
      holder = (await options.describeHolder?.().catch(() => undefined)) ?? holder;
      if (now < deadline) options.onWait?.({ waitedMs: now - started, holder });
      nextReport = now + reportEveryMs;
    }
    if (now >= deadline) throw new LockTimeoutError(timeoutMs, holder?.description);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}
