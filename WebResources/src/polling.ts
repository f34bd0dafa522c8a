/** Polling while something is pending: every few seconds while a person may be completing it, slower once it sits idle, never after stop(). */

/** Polls in the first ten minutes of a pending session, when a person is most likely completing it right now. */
export const activePolls = 200;

/** Every 3 s for the first ten minutes (a result shows within seconds), then every 30 s for a session left idle. */
export function delayFor(attempt: number): number {
  return attempt < activePolls ? 3000 : 30000;
}

export type Schedule = (run: () => void, milliseconds: number) => unknown;
export type Cancel = (handle: unknown) => void;

export class Poller {
  private attempt = 0;
  private handle: unknown;
  private stopped = true;

  /** @param tick refreshes once; resolves true to keep polling (still pending). */
  constructor(
    private readonly tick: () => Promise<boolean>,
    private readonly schedule: Schedule = (run, ms) => setTimeout(run, ms),
    private readonly cancel: Cancel = (handle) => clearTimeout(handle as number),
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  /** Starts (or restarts) from the shortest delay. */
  start(): void {
    this.stop();
    this.stopped = false;
    this.attempt = 0;
    this.next();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) {
      this.cancel(this.handle);
      this.handle = undefined;
    }
  }

  private next(): void {
    this.handle = this.schedule(async () => {
      this.handle = undefined;
      if (this.stopped) {
        return;
      }
      let again = true;
      try {
        again = await this.tick();
      } catch {
        again = true;
      }
      if (again && !this.stopped) {
        this.attempt++;
        this.next();
      } else {
        this.stopped = true;
      }
    }, delayFor(this.attempt));
  }
}
