import { LockTimeoutError } from "../errors.js";

/**
 * Calls `tryLock` until it takes the lock, sleeping `pollMs` between attempts (never past the
 * deadline), and throws {@link LockTimeoutError} once `timeoutMs` has passed. For adapters whose
 * lock is taken with a non-blocking attempt, so that waiting never blocks the event loop.
 */
export async function pollForLock(tryLock: () => Promise<boolean>, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await tryLock()) return;
    if (Date.now() >= deadline) throw new LockTimeoutError(timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}
