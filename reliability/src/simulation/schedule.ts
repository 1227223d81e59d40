import fc from "fast-check";
import type { Fault } from "../support/faulty-network.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * One step of a schedule. Devices and items are picked by plain numbers taken modulo what
 * exists when the step runs, so shrinking keeps schedules valid and the printout readable.
 */
export type Step =
  | { readonly t: "create"; readonly d: number; readonly text: string }
  | { readonly t: "edit"; readonly d: number; readonly pick: number; readonly text: string }
  | { readonly t: "toggle"; readonly d: number; readonly pick: number }
  | { readonly t: "count"; readonly d: number; readonly pick: number; readonly delta: number }
  | { readonly t: "delete"; readonly d: number; readonly pick: number }
  | { readonly t: "undo"; readonly d: number; readonly pick: number }
  | { readonly t: "intrude"; readonly text: string }
  | { readonly t: "fault"; readonly d: number; readonly fault: Fault }
  | { readonly t: "offline"; readonly d: number }
  | { readonly t: "online"; readonly d: number }
  | { readonly t: "reload"; readonly d: number }
  | { readonly t: "kill"; readonly d: number }
  | { readonly t: "clock-jump"; readonly d: number; readonly ms: number }
  | { readonly t: "sync"; readonly d: number }
  | { readonly t: "server-restart" }
  | { readonly t: "sign-in"; readonly d: number };

export interface Schedule {
  /** Sync-client instances of the two members (device 0 is the list owner's). */
  readonly devices: number;
  /** Per device: which member (0 owner, 1 the one who joined). */
  readonly users: readonly number[];
  /** Per device: wall-clock skew in ms (up to ±24 h). */
  readonly skews: readonly number[];
  /** Per device: SSE pokes (true) or polling only. */
  readonly streams: readonly boolean[];
  /** Push batch size of every device: 1 makes each op its own request. */
  readonly batchSize: number;
  /** A non-member's device writing into the list: those ops must dead-letter, nothing else. */
  readonly intruder: boolean;
  /** Seeds the engines' jitter source. */
  readonly seed: number;
  readonly steps: readonly Step[];
}

const device = fc.nat({ max: 3 });
const pick = fc.nat({ max: 15 });
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0);

export const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant({ kind: "drop-request" } as const),
  fc.constant({ kind: "drop-response" } as const),
  fc.record({
    kind: fc.constant("server-error" as const),
    status: fc.constantFrom(500 as const, 502 as const, 503 as const),
  }),
  fc.record({
    kind: fc.constant("error-after-commit" as const),
    status: fc.constantFrom(500 as const, 502 as const),
  }),
  fc.constant({ kind: "unauthorized" } as const),
  fc.record({
    kind: fc.constant("rate-limited" as const),
    retryAfterS: fc.constantFrom(0 as const, 1 as const),
  }),
  fc.record({ kind: fc.constant("delay" as const), ms: fc.integer({ min: 1, max: 80 }) }),
  fc.constant({ kind: "duplicate" } as const),
  fc.constant({ kind: "reorder" } as const),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("create" as const), d: device, text }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("edit" as const), d: device, pick, text }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("toggle" as const), d: device, pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("count" as const),
      d: device,
      pick,
      delta: fc.constantFrom(-2, -1, 1, 2, 3, 5),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("delete" as const), d: device, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("undo" as const), d: device, pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("intrude" as const), text }) },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant("fault" as const), d: device, fault: faultArb }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("offline" as const), d: device }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("online" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reload" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("kill" as const), d: device }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("clock-jump" as const),
      d: device,
      ms: fc.integer({ min: -DAY, max: -1_000 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("sync" as const), d: device }) },
  { weight: 1, arbitrary: fc.constant({ t: "server-restart" } as const) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("sign-in" as const), d: device }) },
);

export function scheduleArb(maxSteps = 30): fc.Arbitrary<Schedule> {
  return fc.integer({ min: 2, max: 4 }).chain((devices) =>
    fc.record({
      devices: fc.constant(devices),
      users: fc.tuple(
        fc.constant(0),
        ...Array.from({ length: devices - 1 }, () => fc.nat({ max: 1 })),
      ),
      skews: fc.array(fc.integer({ min: -DAY, max: DAY }), {
        minLength: devices,
        maxLength: devices,
      }),
      streams: fc.array(fc.boolean(), { minLength: devices, maxLength: devices }),
      batchSize: fc.constantFrom(1, 3, 50),
      intruder: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      steps: fc.array(stepArb, { minLength: 4, maxLength: maxSteps, size: "medium" }),
    }),
  );
}

/** Compact one-line form of a schedule for failure reports. */
export function formatSchedule(s: Schedule): string {
  return JSON.stringify(s);
}
