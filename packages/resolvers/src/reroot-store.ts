/**
 * Fully persistent string-keyed maps by rerooting (Baker's trick). Every version is a node; one
 * node of a version tree (the root) holds the real mutable `Map`s, every other node holds the
 * changes that turn its neighbour towards the root into itself. Reading or writing a version
 * first makes it the root by replaying those changes (and recording their inverses), so:
 *
 * - the usual linear use (`s = s.set(..)`, old value dropped) costs one `Map.set` per write,
 *   with no copying at all;
 * - every older version stays valid and reads exactly as it was; touching one costs the
 *   distance to the current root, once.
 *
 * Internal to this package: the CRDTs are immutable on the outside and use this inside.
 * Values must not be `undefined` (it marks "absent" in the change records).
 */
export class Version {
  /** The maps, on the root node only. */
  maps: Map<string, unknown>[] | undefined;
  /** Flat triples (map index, key, value before the change) leading from `next` to this. */
  changes: unknown[] | undefined;
  next: Version | undefined;

  constructor(maps: Map<string, unknown>[] | undefined) {
    this.maps = maps;
    this.changes = undefined;
    this.next = undefined;
  }

  /** A new version tree of `count` empty maps. */
  static empty(count: number): Version {
    return new Version(Array.from({ length: count }, () => new Map<string, unknown>()));
  }

  /** The maps as this version sees them; valid until another version of the tree is touched. */
  read(): Map<string, unknown>[] {
    return this.maps ?? reroot(this);
  }

  /** A new version with one key of one map set: `edit` without the transaction, for hot paths. */
  set(map: number, key: string, value: unknown): Version {
    const maps = this.read();
    const target = maps[map] as Map<string, unknown>;
    const root = new Version(maps);
    this.maps = undefined;
    this.changes = [map, key, target.get(key)];
    this.next = root;
    target.set(key, value);
    return root;
  }

  /**
   * A new version: `this` with the changes `edit` makes through the transaction. `this` when
   * it made none. `edit` must validate before it writes: a throw leaves the writes it made.
   */
  edit(edit: (tx: Transaction) => void): Version {
    const tx = new Transaction(this.read());
    edit(tx);
    return tx.commit(this);
  }
}

/** Writes into the root's maps, each recorded so the previous version can be rebuilt. */
export class Transaction {
  readonly maps: Map<string, unknown>[];
  readonly #changes: unknown[] = [];

  constructor(maps: Map<string, unknown>[]) {
    this.maps = maps;
  }

  get(map: number, key: string): unknown {
    return (this.maps[map] as Map<string, unknown>).get(key);
  }

  set(map: number, key: string, value: unknown): void {
    const target = this.maps[map] as Map<string, unknown>;
    this.#changes.push(map, key, target.get(key));
    target.set(key, value);
  }

  delete(map: number, key: string): void {
    const target = this.maps[map] as Map<string, unknown>;
    const old = target.get(key);
    if (old === undefined) return;
    this.#changes.push(map, key, old);
    target.delete(key);
  }

  commit(from: Version): Version {
    if (this.#changes.length === 0) return from;
    const root = new Version(this.maps);
    from.maps = undefined;
    from.changes = this.#changes;
    from.next = root;
    return root;
  }
}

/** Moves the maps to `target`, reversing every change record on the way (iterative: chains can be long). */
function reroot(target: Version): Map<string, unknown>[] {
  const path: Version[] = [];
  let node: Version = target;
  while (node.maps === undefined) {
    path.push(node);
    node = node.next as Version;
  }
  const maps = node.maps;
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i] as Version;
    const parent = step.next as Version;
    const changes = step.changes as unknown[];
    const inverse: unknown[] = [];
    // Undo in reverse order, so a key changed twice in one edit ends at its first old value.
    for (let c = changes.length - 3; c >= 0; c -= 3) {
      const map = maps[changes[c] as number] as Map<string, unknown>;
      const key = changes[c + 1] as string;
      const old = changes[c + 2];
      inverse.push(changes[c], key, map.get(key));
      if (old === undefined) map.delete(key);
      else map.set(key, old);
    }
    // The inverse list is in undo order; replaying it in reverse again redoes the original order.
    parent.maps = undefined;
    parent.changes = inverse;
    parent.next = step;
    step.maps = maps;
    step.changes = undefined;
    step.next = undefined;
  }
  return maps;
}
