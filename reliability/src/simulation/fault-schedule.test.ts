import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestartableServer, startRestartableServer } from "../support/restartable-server.js";
import { runSchedule, SimStats } from "./run-schedule.js";
import { formatSchedule, scheduleArb } from "./schedule.js";

// `pnpm test` runs a fixed-seed sample; `pnpm soak` sets SIM_RUNS=10000. SIM_SEED replays a failure.
const RUNS = Number(process.env.SIM_RUNS ?? process.env.FC_NUM_RUNS ?? 200);
const SEED = Number(process.env.SIM_SEED ?? 20_261_201);

describe("fault-schedule simulation", () => {
  let server: RestartableServer;
  const stats = new SimStats();
  beforeAll(async () => {
    server = await startRestartableServer();
  });
  afterAll(async () => {
    await server?.close();
    const faults = Object.fromEntries(stats.faults);
    process.stdout.write(
      `simulation (${server?.backend}, seed ${SEED}): ${stats.schedules} schedules, ${stats.steps} steps, ` +
        `${stats.acknowledgedOps} acknowledged ops, ${stats.totalFaults()} faults ${JSON.stringify(faults)}, ` +
        `${stats.deadLettersExpected} expected dead letters, refused ${JSON.stringify(Object.fromEntries(stats.refusedWrites))}\n`,
    );
  });

  it(
    "[G1][G2][G3] after any fault schedule: acknowledged ops on the server exactly once, dead letters only for invalid ops, every replica equals the server",
    async () => {
      await fc.assert(
        fc.asyncProperty(scheduleArb(), async (schedule) => {
          // No reset between schedules: each one signs up fresh users with a fresh list.
          await runSchedule(server, schedule, stats);
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          // The report names the seed and path; the schedule prints as JSON to replay by hand.
          reporter: (details) => {
            if (!details.failed) return;
            const example = details.counterexample?.[0];
            throw new Error(
              `simulation failed: seed ${details.seed}, path ${details.counterexamplePath}\n` +
                `shrunk schedule: ${example ? formatSchedule(example) : "?"}\n${String(details.errorInstance)}`,
            );
          },
        },
      );
      expect(stats.schedules).toBeGreaterThanOrEqual(RUNS);
    },
    // Generous: a loaded 2-core CI machine runs a schedule in 1-4 s; a timeout is not a finding.
    Math.max(120_000, RUNS * 20_000),
  );
});
