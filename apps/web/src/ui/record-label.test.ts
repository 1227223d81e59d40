import type { SyncClient, ViewRecord } from "@sync/sync-client";
import { describe, expect, it } from "vitest";
import { recordLabel } from "./record-label.js";

const LIST = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const records: ViewRecord[] = [
  { entity: "list", id: LIST, fields: { title: "Weekend" }, deleted: false, pending: false },
  { entity: "note", id: LIST, fields: { listId: LIST, body: "x" }, deleted: false, pending: false },
];
// Only `get` is read by recordLabel.
const client = {
  get: (entity: string, id: string) => records.find((r) => r.entity === entity && r.id === id),
} as unknown as SyncClient;

describe("recordLabel", () => {
  it("names a record by its definition's label field, preferring the operation's value", () => {
    expect(recordLabel(client, "list", LIST)).toBe("Weekend");
    expect(recordLabel(client, "list", LIST, { title: "Renamed" })).toBe("Renamed");
  });

  it("names a record without a label (a list's note) by its owner", () => {
    expect(recordLabel(client, "note", LIST)).toBe("Weekend");
    expect(
      recordLabel(client, "note", "01936f3e-0000-7000-8000-000000000000", { listId: LIST }),
    ).toBe("Weekend");
  });

  it("has no name for what it does not know", () => {
    expect(recordLabel(client, "widget", LIST)).toBeNull();
    expect(recordLabel(client, "item", LIST)).toBeNull();
  });
});
