import type { TestSession } from "@sync/server/testing";
import { SyncClientError } from "@sync/sync-client";
import type { FaultKind } from "../support/faulty-network.js";
import { seededRandom } from "../support/prng.js";
import type { RestartableServer } from "../support/restartable-server.js";
import { pullAll, type RecordSnapshot, snapshot } from "../support/server-view.js";
import { waitFor } from "../support/wait-for.js";
import { Ledger } from "./ledger.js";
import type { Schedule, Step } from "./schedule.js";
import { SimDevice } from "./sim-device.js";

/** Totals over every schedule run, for the report in docs/reliability.md. */
export class SimStats {
  schedules = 0;
  steps = 0;
  acknowledgedOps = 0;
  refusedWrites = new Map<string, number>();
  faults = new Map<
    FaultKind | "offline" | "reload" | "kill" | "clock-jump" | "server-restart",
    number
  >();
  deadLettersExpected = 0;
  healRounds = 0;

  count(
    kind: FaultKind | "offline" | "reload" | "kill" | "clock-jump" | "server-restart",
    n = 1,
  ): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + n);
  }

  totalFaults(): number {
    let n = 0;
    for (const v of this.faults.values()) n += v;
    return n;
  }
}

const ENTITIES = ["list", "item", "membership"] as const;
const HEAL_MS = 30_000;

/** Resolves when `work` settles or after `ms`, whichever is first; it never decides a verdict. */
async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

function viewOf(device: SimDevice): RecordSnapshot[] {
  return snapshot(
    ENTITIES.flatMap((entity) =>
      device.client.list(entity, undefined, { includeDeleted: true }).map((r) => ({
        entity: r.entity,
        id: r.id,
        fields: r.fields,
        deleted: r.deleted,
      })),
    ),
  );
}

/**
 * Runs one schedule against a running server (emptied by the caller) and checks the
 * invariants after healing. Throws with a description on the first violation.
 */
export async function runSchedule(
  server: RestartableServer,
  schedule: Schedule,
  stats: SimStats,
): Promise<void> {
  const random = seededRandom(schedule.seed);
  const upstream = () => server.url;
  const owner = await server.signup();
  const member = await server.signup();
  const stranger = await server.signup();
  const users: TestSession[] = [owner, member];
  const devices = Array.from(
    { length: schedule.devices },
    (_, index) =>
      new SimDevice({
        index,
        session: users[schedule.users[index] ?? 0] ?? owner,
        upstream,
        skewMs: schedule.skews[index] ?? 0,
        stream: schedule.streams[index] ?? false,
        batchSize: schedule.batchSize,
        random,
      }),
  );
  const intruder = schedule.intruder
    ? new SimDevice({
        index: schedule.devices,
        session: stranger,
        upstream,
        skewMs: 0,
        stream: false,
        batchSize: schedule.batchSize,
        random,
      })
    : undefined;
  const all = intruder ? [...devices, intruder] : devices;
  const ledger = new Ledger();
  const t0 = Date.now();
  try {
    // Set-up without faults: the owner creates the list, the other member joins by code.
    for (const d of all) await d.start();
    const first = devices[0] as SimDevice;
    const listId = await first.client.create("list", { title: "Groceries" });
    await waitFor(
      async () => {
        await first.client.syncNow();
        return typeof first.client.get("list", listId)?.fields.inviteCode === "string";
      },
      "the list is confirmed",
      10_000,
    );
    const code = first.client.get("list", listId)?.fields.inviteCode;
    const joined = await fetch(`${server.url}/api/lists/join`, {
      method: "POST",
      headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
    if (joined.status !== 200) throw new Error(`join ${joined.status}`);
    for (const d of devices) {
      await waitFor(
        async () => {
          await d.client.syncNow();
          return d.client.get("list", listId) !== undefined;
        },
        `device ${d.index} sees the list`,
        10_000,
      );
    }

    const t1 = Date.now();
    for (const step of schedule.steps) {
      stats.steps++;
      const ts = Date.now();
      await runStep(step, { devices, intruder, listId, ledger, server, stats });
      if (process.env.SIM_DEBUG) process.stdout.write(`  ${step.t} ${Date.now() - ts}ms\n`);
    }
    const t2 = Date.now();
    await heal(server, all, stats);
    if (process.env.SIM_DEBUG)
      process.stdout.write(`setup ${t1 - t0} steps ${t2 - t1} heal ${Date.now() - t2}\n`);
    await checkInvariants({ server, devices, intruder, ledger, listId, owner, member, stranger });
    stats.schedules++;
    stats.acknowledgedOps += ledger.total();
    stats.deadLettersExpected += ledger.intruderOps;
    for (const d of all) for (const [k, v] of d.net.injected) stats.count(k, v);
  } finally {
    await server.start();
    for (const d of all) await d.close().catch(() => undefined);
  }
}

interface StepContext {
  readonly devices: readonly SimDevice[];
  readonly intruder: SimDevice | undefined;
  readonly listId: string;
  readonly ledger: Ledger;
  readonly server: RestartableServer;
  readonly stats: SimStats;
}

/** A write the engine refuses synchronously was never acknowledged; anything else is a bug. */
async function write(
  ctx: StepContext,
  work: () => Promise<unknown>,
  onAck: () => void,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof SyncClientError)) throw error;
    ctx.ledger.refused++;
    ctx.stats.refusedWrites.set(error.code, (ctx.stats.refusedWrites.get(error.code) ?? 0) + 1);
    return;
  }
  onAck();
}

async function runStep(step: Step, ctx: StepContext): Promise<void> {
  if (step.t === "server-restart") {
    ctx.stats.count("server-restart");
    await ctx.server.restart();
    return;
  }
  if (step.t === "intrude") {
    const intruder = ctx.intruder;
    if (!intruder) return;
    await write(
      ctx,
      () => intruder.client.create("item", { listId: ctx.listId, text: step.text }),
      () => {
        ctx.ledger.intruderOps++;
        ctx.ledger.ack("intrude");
      },
    );
    return;
  }
  const device = ctx.devices[step.d % ctx.devices.length] as SimDevice;
  const client = device.client;
  const visible = client.list("item");
  const pickAt = "pick" in step ? step.pick : 0;
  const target = visible.length > 0 ? visible[pickAt % visible.length] : undefined;
  const ledgerOf = (id: string) => {
    const entry = ctx.ledger.items.get(id);
    if (!entry) throw new Error(`device ${device.index} shows item ${id} nobody created`);
    return entry;
  };
  switch (step.t) {
    case "create": {
      let id = "";
      await write(
        ctx,
        async () => {
          id = await client.create("item", { listId: ctx.listId, text: step.text });
        },
        () => ctx.ledger.created(id, step.text),
      );
      return;
    }
    case "edit":
      if (!target) return;
      await write(
        ctx,
        () => client.update("item", target.id, { text: step.text }),
        () => {
          ledgerOf(target.id).texts.add(step.text);
          ctx.ledger.ack("edit");
        },
      );
      return;
    case "toggle":
      if (!target) return;
      await write(
        ctx,
        () => client.update("item", target.id, { checked: target.fields.checked !== true }),
        () => ctx.ledger.ack("toggle"),
      );
      return;
    case "count":
      if (!target) return;
      await write(
        ctx,
        () => client.increment("item", target.id, "qty", step.delta),
        () => {
          ledgerOf(target.id).expectedQty += step.delta;
          ctx.ledger.ack("count");
        },
      );
      return;
    case "delete":
      if (!target) return;
      await write(
        ctx,
        () => client.remove("item", target.id),
        () => ctx.ledger.ack("delete"),
      );
      return;
    case "undo": {
      const deleted = client.list("item", (r) => r.deleted, { includeDeleted: true });
      const gone = deleted.length > 0 ? deleted[step.pick % deleted.length] : undefined;
      if (!gone) return;
      await write(
        ctx,
        () => client.restore("item", gone.id),
        () => ctx.ledger.ack("undo"),
      );
      return;
    }
    case "fault":
      device.net.inject(step.fault);
      return;
    case "offline":
      if (!device.net.offline) ctx.stats.count("offline");
      device.net.offline = true;
      return;
    case "online":
      device.net.offline = false;
      return;
    case "reload":
      ctx.stats.count("reload");
      await device.reload();
      return;
    case "kill":
      ctx.stats.count("kill");
      await device.kill();
      return;
    case "clock-jump":
      ctx.stats.count("clock-jump");
      device.skewMs += step.ms;
      return;
    case "sync":
      await bounded(client.syncNow(), 2_000);
      return;
    case "sign-in":
      if (client.getStatus().state === "signed-out")
        await bounded(client.resumeAfterSignIn(), 2_000);
      return;
  }
}

/** All online, no faults, server up; sync until every replica equals its user's server view. */
async function heal(
  server: RestartableServer,
  all: readonly SimDevice[],
  stats: SimStats,
): Promise<void> {
  await server.start();
  for (const d of all) {
    d.net.offline = false;
    d.net.clearFaults();
  }
  const url = () => server.url ?? "";
  let last = "";
  await waitFor(
    async () => {
      stats.healRounds++;
      for (const d of all) {
        if (d.client.getStatus().state === "signed-out")
          await bounded(d.client.resumeAfterSignIn(), 5_000);
      }
      await Promise.all(all.map((d) => bounded(d.client.syncNow(), 5_000)));
      const views = new Map<string, string>();
      for (const d of all) {
        const status = d.client.getStatus();
        if (status.pendingCount > 0) {
          last = `device ${d.index}: ${status.pendingCount} pending, state ${status.state}, ${JSON.stringify(status.lastError)}`;
          return false;
        }
        let server = views.get(d.session.token);
        if (server === undefined) {
          server = JSON.stringify(snapshot((await pullAll(url(), d.session.token)).rows));
          views.set(d.session.token, server);
        }
        const mine = JSON.stringify(viewOf(d));
        if (mine !== server) {
          last = `device ${d.index} view differs from the server's:\n  device ${mine}\n  server ${server}`;
          return false;
        }
      }
      return true;
    },
    () => `convergence: ${last}`,
    HEAL_MS,
  );
}

interface CheckContext {
  readonly server: RestartableServer;
  readonly devices: readonly SimDevice[];
  readonly intruder: SimDevice | undefined;
  readonly ledger: Ledger;
  readonly listId: string;
  readonly owner: TestSession;
  readonly member: TestSession;
  readonly stranger: TestSession;
}

async function checkInvariants(ctx: CheckContext): Promise<void> {
  const url = ctx.server.url ?? "";
  const problems: string[] = [];
  const ownerRows = (await pullAll(url, ctx.owner.token)).rows;
  const memberRows = (await pullAll(url, ctx.member.token)).rows;
  const items = ownerRows.filter((r) => r.entity === "item");
  const memberItems = memberRows.filter((r) => r.entity === "item");
  if (JSON.stringify(snapshot(items)) !== JSON.stringify(snapshot(memberItems))) {
    problems.push("the two members' server views of the list differ");
  }
  // [G1] nothing acknowledged is lost; [G2] counters sum exactly: every increment applied once.
  for (const entry of ctx.ledger.items.values()) {
    const row = items.find((r) => r.id === entry.id);
    if (!row) {
      problems.push(`acknowledged item ${entry.id} is not on the server`);
      continue;
    }
    if (row.fields.qty !== entry.expectedQty) {
      problems.push(
        `item ${entry.id}: qty ${String(row.fields.qty)} on the server, ${entry.expectedQty} acknowledged`,
      );
    }
    if (!entry.texts.has(String(row.fields.text))) {
      problems.push(`item ${entry.id}: text ${JSON.stringify(row.fields.text)} was never written`);
    }
  }
  for (const row of items) {
    if (!ctx.ledger.items.has(row.id))
      problems.push(`server item ${row.id} was never acknowledged by a member`);
  }
  // Dead letters only for the ops that really are invalid.
  for (const d of ctx.devices) {
    const letters = await d.client.deadLetters();
    if (letters.length > 0) {
      problems.push(
        `device ${d.index} has ${letters.length} dead letters: ${JSON.stringify(letters.map((l) => [l.kind, l.code]))}`,
      );
    }
    if (d.client.conflicts().length > 0) problems.push(`device ${d.index} has open conflicts`);
  }
  if (ctx.intruder) {
    const letters = await ctx.intruder.client.deadLetters();
    if (letters.length !== ctx.ledger.intruderOps) {
      problems.push(
        `intruder: ${letters.length} dead letters for ${ctx.ledger.intruderOps} invalid ops`,
      );
    }
    if (ctx.intruder.client.list("item").length > 0)
      problems.push("intruder still shows rejected items");
    const strangerRows = (await pullAll(url, ctx.stranger.token)).rows;
    if (strangerRows.some((r) => r.entity === "item" || r.id === ctx.listId)) {
      problems.push("the non-member can pull the list");
    }
  }
  if (problems.length > 0) throw new Error(`invariants violated:\n  ${problems.join("\n  ")}`);
}
