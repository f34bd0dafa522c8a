/** Polling while something is pending: quick at first, then backing off, and never after stop(). */

/** 2 s, 4 s, 8 s, 16 s, then every 30 s. */
export function delayFor(attempt: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempt), 30000);
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
