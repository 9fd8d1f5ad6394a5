import type { Direction } from "./plan.js";
import type { LockHolder } from "./poll-lock.js";

/** Reported while `up` or `down` runs, so that a caller can show progress. */
export type MigrationEvent =
  /** Another run holds the migration lock: reported at once, then every few seconds while it lasts. */
  | { type: "waiting"; waitedMs: number; holder: LockHolder | undefined }
  | { type: "start"; direction: Direction; id: string; name: string }
  | {
      type: "done"; direction: Direction; id: string; name: string; durationMs: number;
      /** Recorded as applied because its tables already existed (adoption), not run. */
      baselined?: boolean;
    };

export interface Progress {
  waiting(event: MigrationEvent): void;
  start(event: MigrationEvent): void;
  done(event: MigrationEvent): void;
  /** The lock was released: report what was held back. */
  released(): void;
}

/**
 * Reports progress. Where the lock is itself the transaction (SQLite), what ran under it becomes
 * durable only when the lock is released: "done" is reported then, never for work that a failed
 * commit took back.
 */
export function reportProgress(onProgress: ((event: MigrationEvent) => void) | undefined, commitsWhenLockReleased: boolean): Progress {
  const held: MigrationEvent[] = [];
  return {
    waiting: (event) => onProgress?.(event),
    start: (event) => onProgress?.(event),
    done: (event) => {
      if (commitsWhenLockReleased) held.push(event);
      else onProgress?.(event);
    },
    released: () => {
      for (const event of held.splice(0)) onProgress?.(event);
    },
  };
}
