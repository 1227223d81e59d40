/**
 * Immutable string-keyed map with structural sharing (a hash trie, 32-way). A write copies one
 * path of at most seven small nodes instead of the whole map, so the CRDTs can stay immutable
 * (old values remain valid) while a write costs O(log n), not O(n). Internal to this package.
 */
type Bucket<V> = ReadonlyMap<string, V>;
type Branch<V> = ReadonlyArray<Node<V> | undefined>;
type Node<V> = Bucket<V> | Branch<V>;

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** A bucket splits into a branch past this size, until the hash bits run out. */
const BUCKET_MAX = 16;
const MAX_SHIFT = 30;

/** Decides the value kept when both maps hold a key; must return one of its arguments. */
export type Pick<V> = (ours: V, theirs: V) => V;

export class PersistentMap<V> {
  readonly #root: Node<V> | undefined;
  readonly size: number;

  private constructor(root: Node<V> | undefined, size: number) {
    this.#root = root;
    this.size = size;
  }

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(undefined, 0);
  }

  get(key: string): V | undefined {
    let node = this.#root;
    const hash = hashOf(key);
    for (let shift = 0; node !== undefined; shift += BITS) {
      if (isBucket(node)) return node.get(key);
      node = node[(hash >>> shift) & MASK];
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A map with `key` bound to `value`; `this` when it already was (same reference). */
  set(key: string, value: V): PersistentMap<V> {
    const counter = { added: 0 };
    const root = insert(this.#root, key, hashOf(key), 0, value, counter);
    return root === this.#root ? this : new PersistentMap(root, this.size + counter.added);
  }

  delete(key: string): PersistentMap<V> {
    if (!this.has(key)) return this;
    return new PersistentMap(remove(this.#root, key, hashOf(key), 0), this.size - 1);
  }

  /**
   * The union of both maps, `pick` choosing where both hold a key. Subtrees the two maps share
   * are skipped, and `this` is returned when nothing of `other` is new.
   */
  merge(other: PersistentMap<V>, pick: Pick<V>): PersistentMap<V> {
    if (other.#root === undefined || other.#root === this.#root) return this;
    if (this.#root === undefined) return other;
    const counter = { added: 0 };
    const root = mergeNodes(this.#root, other.#root, 0, pick, counter);
    if (root === this.#root) return this;
    if (root === other.#root) return other;
    return new PersistentMap(root, this.size + counter.added);
  }

  *entries(): IterableIterator<[string, V]> {
    if (this.#root !== undefined) yield* entriesOf(this.#root);
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }
}

function isBucket<V>(node: Node<V>): node is Bucket<V> {
  return node instanceof Map;
}

/** FNV-1a over UTF-16 code units: cheap and well spread for short keys. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function insert<V>(
  node: Node<V> | undefined,
  key: string,
  hash: number,
  shift: number,
  value: V,
  counter: { added: number },
): Node<V> {
  if (node === undefined) {
    counter.added += 1;
    return new Map([[key, value]]);
  }
  if (isBucket(node)) {
    const current = node.get(key);
    if (current === value) return node;
    if (current === undefined) counter.added += 1;
    const copy = new Map(node);
    copy.set(key, value);
    return copy.size > BUCKET_MAX && shift < MAX_SHIFT ? split(copy, shift) : copy;
  }
  const index = (hash >>> shift) & MASK;
  const child = node[index];
  const next = insert(child, key, hash, shift + BITS, value, counter);
  if (next === child) return node;
  const copy = node.slice();
  copy[index] = next;
  return copy;
}

function split<V>(bucket: Bucket<V>, shift: number): Branch<V> {
  let branch: Branch<V> = new Array<Node<V> | undefined>(WIDTH).fill(undefined);
  const ignored = { added: 0 };
  for (const [key, value] of bucket) {
    branch = insert(branch, key, hashOf(key), shift, value, ignored) as Branch<V>;
  }
  return branch;
}

function remove<V>(
  node: Node<V> | undefined,
  key: string,
  hash: number,
  shift: number,
): Node<V> | undefined {
  if (node === undefined) return undefined;
  if (isBucket(node)) {
    if (!node.has(key)) return node;
    if (node.size === 1) return undefined;
    const copy = new Map(node);
    copy.delete(key);
    return copy;
  }
  const index = (hash >>> shift) & MASK;
  const child = node[index];
  const next = remove(child, key, hash, shift + BITS);
  if (next === child) return node;
  const copy = node.slice();
  copy[index] = next;
  return copy.every((c) => c === undefined) ? undefined : copy;
}

function mergeNodes<V>(
  ours: Node<V> | undefined,
  theirs: Node<V> | undefined,
  shift: number,
  pick: Pick<V>,
  counter: { added: number },
): Node<V> | undefined {
  if (theirs === undefined || ours === theirs) return ours;
  if (ours === undefined) {
    counter.added += countOf(theirs);
    return theirs;
  }
  if (!isBucket(ours) && !isBucket(theirs)) {
    let result: (Node<V> | undefined)[] | undefined;
    let allTheirs = true;
    for (let i = 0; i < WIDTH; i++) {
      const child = mergeNodes(ours[i], theirs[i], shift + BITS, pick, counter);
      if (child !== theirs[i]) allTheirs = false;
      if (child === ours[i]) continue;
      result ??= ours.slice();
      result[i] = child;
    }
    // Adopting their node when it is the whole answer lets replicas share subtrees over time.
    if (allTheirs) return result === undefined ? older(ours, theirs) : theirs;
    return result ?? ours;
  }
  if (isBucket(ours) && isBucket(theirs)) return mergeBuckets(ours, theirs, shift, pick, counter);
  let result: Node<V> = ours;
  for (const [key, value] of entriesOf(theirs)) {
    const hash = hashOf(key);
    const current = lookup(result, key, hash, shift);
    const chosen = current === undefined ? value : pick(current, value);
    result = insert(result, key, hash, shift, chosen, counter);
  }
  return result;
}

function mergeBuckets<V>(
  ours: Bucket<V>,
  theirs: Bucket<V>,
  shift: number,
  pick: Pick<V>,
  counter: { added: number },
): Node<V> {
  let copy: Map<string, V> | undefined;
  let identical = ours.size === theirs.size;
  let allTheirs = true;
  for (const [key, value] of theirs) {
    const current = ours.get(key);
    if (current === value) continue;
    identical = false;
    const chosen = current === undefined ? value : pick(current, value);
    if (chosen !== value) allTheirs = false;
    if (chosen === current) continue;
    if (current === undefined) counter.added += 1;
    copy ??= new Map(ours);
    copy.set(key, chosen);
  }
  // Same content on both sides: take theirs, so replicas that sync end up sharing nodes and
  // later merges skip them by reference.
  if (copy === undefined) return identical ? older(ours, theirs) : ours;
  // Nothing of ours survives beside theirs: their node is the answer, and now shared.
  if (allTheirs && copy.size === theirs.size) return theirs;
  return copy.size > BUCKET_MAX && shift < MAX_SHIFT ? split(copy, shift) : copy;
}

const ids = new WeakMap<object, number>();
let nextId = 0;

function idOf(node: object): number {
  let id = ids.get(node);
  if (id === undefined) {
    id = nextId++;
    ids.set(node, id);
  }
  return id;
}

/**
 * Of two nodes with the same contents, the one every replica keeps: a fixed order (first seen)
 * rather than "ours" or "theirs", so repeated syncs converge on one shared node.
 */
function older<N extends object>(a: N, b: N): N {
  return idOf(a) <= idOf(b) ? a : b;
}

function lookup<V>(node: Node<V>, key: string, hash: number, shift: number): V | undefined {
  let current: Node<V> | undefined = node;
  for (let s = shift; current !== undefined; s += BITS) {
    if (isBucket(current)) return current.get(key);
    current = current[(hash >>> s) & MASK];
  }
  return undefined;
}

function countOf<V>(node: Node<V>): number {
  if (isBucket(node)) return node.size;
  let count = 0;
  for (const child of node) if (child !== undefined) count += countOf(child);
  return count;
}

function* entriesOf<V>(node: Node<V>): IterableIterator<[string, V]> {
  if (isBucket(node)) {
    yield* node;
    return;
  }
  for (const child of node) if (child !== undefined) yield* entriesOf(child);
}
