import { changesSchema, type Operation, type Row } from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Notifier } from "../notifier/notifier.js";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { pokeCursor, SseReader } from "../testing/sse-reader.js";
import { availableBackends } from "../testing/test-database.js";
import type { ChangeEvent } from "./change-event.js";

const keyOf = (r: Row) => `${r.entity}/${r.id}`;

/** A client's confirmed rows kept the way L20 says: rows from `changes` when its cursor reaches `from`, else a pull. */
class Mirror {
  readonly rows = new Map<string, Row>();
  cursor = 0;
  inline = 0;
  pulls = 0;

  constructor(private readonly client: TestClient) {}

  put(rows: readonly Row[]): void {
    for (const row of rows) {
      const seen = this.rows.get(keyOf(row));
      if (!seen || seen.version <= row.version) this.rows.set(keyOf(row), row);
    }
  }

  async pull(): Promise<void> {
    const page = await this.client.pullAll(this.cursor);
    this.put(page.rows);
    this.cursor = Math.max(this.cursor, page.cursor);
    this.pulls++;
  }

  async handle(event: { event: string; data: string }): Promise<void> {
    if (event.event === "changes") {
      const changes = changesSchema.parse(JSON.parse(event.data));
      if (this.cursor >= changes.from) {
        this.put(changes.rows);
        this.cursor = Math.max(this.cursor, changes.cursor);
        this.inline++;
      } else if (changes.cursor > this.cursor) {
        await this.pull();
      }
    } else if (event.event === "poke" && pokeCursor(event) > this.cursor) {
      await this.pull();
    }
  }
}

/**
 * Announcements as a flaky bus delivers them: some lost, some late (after the next one), some
 * twice. Seeded, so a failure repeats. `calm()` delivers what is held and stops the faults.
 */
function flakyBus(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  let inner: Notifier | undefined;
  let held: ChangeEvent | undefined;
  let faulty = true;
  const flush = async () => {
    const late = held;
    held = undefined;
    if (late) await inner?.publish(late);
  };
  const faults = { lost: 0, late: 0, twice: 0 };
  return {
    faults,
    calm: async () => {
      faulty = false;
      await flush();
    },
    wrap: (memory: Notifier): Notifier => {
      inner = memory;
      return {
        ...memory,
        async publish(event) {
          const r = faulty ? random() : 1;
          if (r < 0.15) {
            faults.lost++;
            return;
          }
          if (r < 0.35 && !held) {
            faults.late++;
            held = event;
            return;
          }
          await memory.publish(event);
          if (r < 0.45) {
            faults.twice++;
            await memory.publish(event);
          }
          await flush();
        },
      };
    },
  };
}

describe.each(availableBackends())("stream changes under concurrent writers (%s)", (backend) => {
  let h: Harness;
  let reader: SseReader | undefined;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(async () => {
    await reader?.cancel();
    await h.reset();
  });
  afterAll(async () => {
    await reader?.cancel();
    await h.close();
  });

  it.each([
    ["a reliable bus", undefined],
    ["a flaky bus (lost, late and repeated announcements)", 7],
  ] as const)(
    "[S5][C1] a client applying changes by the rule ends with what a full pull gives, on %s",
    async (_name, seed) => {
      const bus = seed === undefined ? undefined : flakyBus(seed);
      if (bus) await h.reset({ notifier: bus.wrap });
      const alice = await h.signup("alice");
      const [bob1, bob2, carol] = [await h.signup(), await h.signup(), await h.signup()];
      const list = alice.createList("Shared");
      const created = await alice.push(list);
      const first = created.results[0];
      if (first?.status !== "applied") throw new Error("list create failed");
      for (const member of [bob1, bob2]) await member.join(String(first.row.fields.inviteCode));
      await carol.push(carol.createList("Elsewhere"));

      const res = await alice.fetch("/api/sync/stream?changes=1", { headers: alice.auth });
      if (!res.body) throw new Error("no stream body");
      reader = new SseReader(res.body);
      const mirror = new Mirror(alice);
      await mirror.pull();
      let until: (() => boolean) | undefined;
      let reached = () => {};
      const consumed = (async () => {
        for (let handled = 0; reader; handled++) {
          await mirror.handle(await reader.next(() => true, handled));
          if (until?.()) return reached();
        }
      })();

      // Three writers at once: two members of alice's list and one outsider on a list of her own.
      const write = async (writer: TestClient, listId: string) => {
        const ids: string[] = [];
        for (let round = 0; round < 12; round++) {
          const ops: Operation[] = [];
          const item = writer.createItem(listId, `r${round}`);
          ids.push(item.id);
          ops.push(item);
          const target = ids[(round * 7) % ids.length];
          if (target) {
            ops.push(
              writer.op({
                entity: "item",
                id: target,
                kind: "update",
                fields: { text: `u${round}` },
              }),
            );
          }
          await writer.push(...ops);
        }
      };
      const carolList = (await carol.pullAll()).rows.find((r) => r.entity === "list")?.id ?? "";
      await Promise.all([write(bob1, list.id), write(bob2, list.id), write(carol, carolList)]);

      // A last visible change: once the mirror has it, it has had every message before it.
      const sentinel = bob1.createItem(list.id, "sentinel");
      const seen = new Promise<void>((resolve) => {
        reached = resolve;
      });
      until = () => mirror.rows.has(`item/${sentinel.id}`);
      await bus?.calm();
      await bob1.push(sentinel);
      await seen;

      const expected = new Map((await alice.pullAll()).rows.map((r) => [keyOf(r), r]));
      expect(new Map([...mirror.rows].sort())).toEqual(new Map([...expected].sort()));
      expect(mirror.inline).toBeGreaterThan(0);
      if (bus) {
        // The faults happened, and the stream fell back to pokes (pulls) for them.
        expect(bus.faults.lost + bus.faults.late + bus.faults.twice).toBeGreaterThan(3);
        expect(mirror.pulls).toBeGreaterThan(1);
      }
      await consumed;
    },
    60_000,
  );
});
