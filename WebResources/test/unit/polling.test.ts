import { describe, expect, it } from "vitest";
import { Poller, delayFor } from "../../src/polling";

/** A hand-driven clock: scheduled runs wait until the test fires them. */
function manualSchedule() {
  const queue: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  return {
    queue,
    schedule: (run: () => void, ms: number) => {
      const entry = { run, ms, cancelled: false };
      queue.push(entry);
      return entry;
    },
    cancel: (handle: unknown) => {
      (handle as { cancelled: boolean }).cancelled = true;
    },
    async fire() {
      const next = queue.shift()!;
      if (!next.cancelled) {
        next.run();
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe("polling", () => {
  it("stays at 3 s while a session is pending (a result shows within seconds), and slows to 30 s only after ten idle minutes", () => {
    expect([0, 1, 4, 10, 199, 200, 500].map(delayFor)).toEqual([3000, 3000, 3000, 3000, 3000, 30000, 30000]);
  });

  it("asks again while pending and stops when final", async () => {
    const clock = manualSchedule();
    const answers = [true, true, false];
    let calls = 0;
    const poller = new Poller(async () => answers[calls++], clock.schedule, clock.cancel);

    poller.start();
    await clock.fire();
    await clock.fire();
    await clock.fire();

    expect(calls).toBe(3);
    expect(clock.queue).toEqual([]);
    expect(poller.running).toBe(false);
  });

  it("keeps going after a failed refresh", async () => {
    const clock = manualSchedule();
    let calls = 0;
    const poller = new Poller(async () => {
      calls++;
      throw new Error("network");
    }, clock.schedule, clock.cancel);

    poller.start();
    await clock.fire();

    expect(calls).toBe(1);
    expect(clock.queue.map((entry) => entry.ms)).toEqual([3000]);
  });

  it("never runs after stop, as when the form closes", async () => {
    const clock = manualSchedule();
    let calls = 0;
    const poller = new Poller(async () => ++calls > 0, clock.schedule, clock.cancel);

    poller.start();
    poller.stop();
    await clock.fire();

    expect(calls).toBe(0);
    expect(poller.running).toBe(false);
  });
});
