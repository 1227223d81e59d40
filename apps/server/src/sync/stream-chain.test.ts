import { LIMITS, type Row } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { ALL_LISTS, ChangeCollector, type ChangeEvent } from "./change-event.js";
import { StreamChain, type StreamViewer } from "./stream-chain.js";

const MINE = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

const row = (version: number, id = MINE): Row => ({
  entity: "list",
  id,
  version,
  fields: { title: `v${version}` },
  clocks: {},
  deleted: false,
});

/** A write of one row of `listId` that ran from committed head `prev` to `cursor`. */
const write = (prev: number | undefined, cursor: number, listId = MINE): ChangeEvent => ({
  cursor,
  ...(prev !== undefined ? { prev, rows: [{ listId, row: row(cursor, listId) }] } : {}),
  listIds: [listId],
  userIds: [],
});

const viewer: StreamViewer = { sees: (id) => id === MINE, ownMembershipChanged: false };

describe("stream chain (S5)", () => {
  it("[S5] sends each chained visible write as its rows, vouched from the previous one", () => {
    const chain = new StreamChain(10);
    expect(chain.next(write(10, 12), viewer)).toEqual({
      kind: "changes",
      from: 10,
      cursor: 12,
      rows: [row(12)],
    });
    expect(chain.next(write(12, 13), viewer)).toMatchObject({ kind: "changes", from: 12 });
  });

  it("[S5] an invisible write in between sends nothing and keeps the vouched range open", () => {
    const chain = new StreamChain(10);
    expect(chain.next(write(10, 11, OTHER), viewer)).toBeUndefined();
    expect(chain.next(write(11, 14), viewer)).toMatchObject({ from: 10, cursor: 14 });
  });

  it("[S5] a gap (a write never seen) pokes, even when invisible, and restarts the chain", () => {
    const chain = new StreamChain(10);
    expect(chain.next(write(12, 13, OTHER), viewer)).toEqual({ kind: "poke", cursor: 13 });
    expect(chain.next(write(13, 15), viewer)).toMatchObject({ kind: "changes", from: 13 });
  });

  it("[S5] a write without a known start pokes and restarts the chain", () => {
    const chain = new StreamChain(10);
    expect(chain.next(write(undefined, 11), viewer)).toEqual({ kind: "poke", cursor: 11 });
    expect(chain.next(write(11, 12), viewer)).toMatchObject({ kind: "changes", from: 11 });
  });

  it("[S5] a late or repeated delivery pokes if visible and leaves the chain alone", () => {
    const chain = new StreamChain(10);
    chain.next(write(10, 12), viewer);
    expect(chain.next(write(10, 12), viewer)).toEqual({ kind: "poke", cursor: 12 });
    expect(chain.next(write(8, 9, OTHER), viewer)).toBeUndefined();
    expect(chain.next(write(12, 13), viewer)).toMatchObject({ kind: "changes", from: 12 });
  });

  it("[S5] carries only rows of lists the user sees", () => {
    const chain = new StreamChain(0);
    const both: ChangeEvent = {
      cursor: 2,
      prev: 0,
      rows: [
        { listId: MINE, row: row(1) },
        { listId: OTHER, row: row(2, OTHER) },
      ],
      listIds: [MINE, OTHER],
      userIds: [],
    };
    expect(chain.next(both, viewer)).toEqual({
      kind: "changes",
      from: 0,
      cursor: 2,
      rows: [row(1)],
    });
  });

  it("[S5] pokes when the rows are not carried, for everyone, or when memberships change", () => {
    const chain = new StreamChain(0);
    const { rows: _rows, ...withoutRows } = write(0, 1);
    expect(chain.next(withoutRows, viewer)).toEqual({ kind: "poke", cursor: 1 });
    expect(chain.next({ ...write(1, 2), listIds: [ALL_LISTS] }, viewer)).toEqual({
      kind: "poke",
      cursor: 2,
    });
    expect(chain.next(write(2, 3), { ...viewer, ownMembershipChanged: true })).toEqual({
      kind: "poke",
      cursor: 3,
    });
    // Each poke moved the vouched range: rows sent next start there.
    expect(chain.next(write(3, 4), viewer)).toMatchObject({ kind: "changes", from: 3 });
  });
});

describe("change collector", () => {
  it("[S5] carries rows only for a write that reported all of them", () => {
    const join = new ChangeCollector();
    join.prev = 4;
    join.add(5, MINE, "user");
    expect(join.event()).not.toHaveProperty("rows");

    const push = new ChangeCollector();
    push.prev = 4;
    push.trackRows();
    push.add(5, MINE);
    push.addRow(MINE, row(5));
    expect(push.event()).toMatchObject({ prev: 4, cursor: 5, rows: [{ listId: MINE }] });

    const big = new ChangeCollector();
    big.prev = 0;
    big.trackRows();
    for (let v = 1; v <= LIMITS.maxStreamRows + 1; v++) {
      big.add(v, MINE);
      big.addRow(MINE, row(v));
    }
    expect(big.event()).not.toHaveProperty("rows");
  });
});
