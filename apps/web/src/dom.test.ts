import { describe, expect, it } from "vitest";
import { type PatchParent, patchKeyed } from "./dom.js";

/** Just enough of a DOM parent to watch what patchKeyed does to it. */
class FakeParent implements PatchParent<FakeNode> {
  readonly list: FakeNode[] = [];
  inserts = 0;
  get childNodes(): ArrayLike<FakeNode> {
    return this.list;
  }
  insertBefore(node: FakeNode, reference: object | null): void {
    const at = this.list.indexOf(node);
    if (at >= 0) this.list.splice(at, 1);
    const ref = reference === null ? -1 : this.list.indexOf(reference as FakeNode);
    if (ref < 0) this.list.push(node);
    else this.list.splice(ref, 0, node);
    this.inserts += 1;
  }
  removeChild(node: FakeNode): void {
    this.list.splice(this.list.indexOf(node), 1);
  }
}

interface FakeNode {
  key: string;
  label: string;
  draft?: string;
}

interface Item {
  id: string;
  label: string;
}

function render(parent: FakeParent, nodes: Map<string, FakeNode>, items: Item[]): void {
  patchKeyed(
    parent,
    nodes,
    items,
    (i) => i.id,
    (i) => ({ key: i.id, label: i.label }),
    (n, i) => {
      n.label = i.label;
    },
  );
}

const items = (...ids: string[]): Item[] => ids.map((id) => ({ id, label: id.toUpperCase() }));

describe("keyed patching", () => {
  it("renders one node per item in order", () => {
    const parent = new FakeParent();
    render(parent, new Map(), items("a", "b", "c"));
    expect(parent.list.map((n) => n.label)).toEqual(["A", "B", "C"]);
  });

  it("keeps the node (and what someone is typing in it) across re-renders", () => {
    const parent = new FakeParent();
    const nodes = new Map<string, FakeNode>();
    render(parent, nodes, items("a", "b"));
    const b = parent.list[1] as FakeNode;
    b.draft = "half-typed";
    render(parent, nodes, [
      { id: "a", label: "A" },
      { id: "b", label: "B2" },
    ]);
    expect(parent.list[1]).toBe(b);
    expect(b).toMatchObject({ label: "B2", draft: "half-typed" });
  });

  it("moves, inserts and removes to match a new order", () => {
    const parent = new FakeParent();
    const nodes = new Map<string, FakeNode>();
    render(parent, nodes, items("a", "b", "c", "d"));
    const [a, , c] = parent.list;
    render(parent, nodes, items("c", "e", "a"));
    expect(parent.list.map((n) => n.key)).toEqual(["c", "e", "a"]);
    expect(parent.list[0]).toBe(c);
    expect(parent.list[2]).toBe(a);
    expect([...nodes.keys()].sort()).toEqual(["a", "c", "e"]);
  });

  it("touches nothing when nothing changed order", () => {
    const parent = new FakeParent();
    const nodes = new Map<string, FakeNode>();
    render(parent, nodes, items("a", "b", "c"));
    parent.inserts = 0;
    render(parent, nodes, items("a", "b", "c"));
    expect(parent.inserts).toBe(0);
  });
});
