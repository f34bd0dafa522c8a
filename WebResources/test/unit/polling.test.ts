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
  it("backs off 2, 4, 8, 16 s, then every 30 s", () => {
    expect([0, 1, 2, 3, 4, 10].map(delayFor)).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it("asks again with growing delays while pending and stops when final", async () => {
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
    expect(clock.queue.map((entry) => entry.ms)).toEqual([4000]);
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
