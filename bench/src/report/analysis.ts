/**
 * Hand-written reading of the last full run, per benchmark: why a goal is missed and what would
 * close it (or, when every goal is met, what the figures mean). Shown under the benchmark's details.
 */
export const ANALYSIS: Readonly<Record<string, string>> = {
  resolvers: [
    "The CRDTs now sit on a persistent hash trie (a write copies one path, O(log n)), the OR-Set indexes live",
    "tags by element and keeps removed tags in the trie, and merge skips subtrees both replicas share: about 40x",
    "faster than the first, copy-on-write version, and ahead of Yjs, but not 5x. What is left is mostly",
    "`ORSet.merge` and `LWWMap.merge` walking live elements each sync round; per-replica dots (version vectors)",
    "instead of a set of removed tags would let merge skip everything the other side has already seen.",
    "Metadata: our serialized LWW entry carries its 24-byte HLC plus JSON framing",
    '(`{"hlc":..,"value":..}`); Yjs\'s encoded map is larger because it keeps a struct per overwritten entry.',
  ].join(" "),
  "wire-bytes": [
    "An operation carries three UUID strings (opId, clientId, record id: 108 bytes) plus the 24-byte HLC and",
    "the JSON keys, so a one-field edit is about as large as the whole item record; gzip shrinks a batch of",
    "edits to about 27 bytes each, but the goal is before compression. To close it: send clientId once per push",
    "(it is already in the request), derive the dedup key from (clientId, seq) and drop opId, encode UUIDs as",
    "22-character base64url or binary, and shorten keys. At rest the HLC itself is 24 bytes per field, but the",
    "jsonb clock map repeats each field name and quotes (36 bytes per field); a fixed-order clock array or a",
    "12-byte binary HLC with a node-id dictionary would bring it under 24.",
  ].join(" "),
  drain: [
    "The server applies every operation of a batch on its own: dedup lookup, savepoint, record load, membership",
    "check, versioned write, outcome record, so a batch still costs several database round trips per operation;",
    "batching saves only the HTTP request and the transaction. A replay costs about as much as the first drain",
    "(within the 1.2x goal) because each duplicate still loads its row and checks membership to return the",
    "current row. To close the rest: set-based push (one query for all recorded opIds,",
    "one membership check per list, multi-row upserts per entity, one multi-row insert into the op log) and",
    "savepoints only when an operation fails (re-run that batch op by op). The machine was heavily loaded.",
  ].join(" "),
  ingest: [
    "Same cause as the drain (per-operation round trips inside the push transaction), plus the version advisory",
    "lock that makes versions visible in order (C1): concurrent pushes serialize on it for the rest of their",
    "transaction, so 8 or 100 clients add little over one. To close it: set-based apply as for the drain, and",
    "take the version lock as late and as briefly as possible (assign all versions of a batch in one statement",
    "just before commit).",
  ].join(" "),
  propagation: [
    "A change travels push (per-op server path) -> commit -> poke -> B's pull (one REPEATABLE READ transaction",
    "over three tables with membership sub-queries) -> B's IndexedDB write -> view, and every hop ran on two",
    "cores shared with other engineers' builds and tests. To close it: make the push path set-based (see drain),",
    "carry small changes in the poke itself so B can skip the pull, and keep the pull's membership set per",
    "connection.",
  ].join(" "),
  "initial-sync": [
    "In fake-indexeddb a single 100,000-row transaction is slower than page-sized ones, so the ceiling is the",
    "faster of the two. The client pulls pages strictly one after the other (it does not fetch the next page",
    "while writing the current one), so the sync costs the raw pulls plus the writes, and it writes and rebases",
    "the view per page. The longest event-loop block stays just under 50 ms here (434 ms in an earlier run under",
    "heavier load): zod validation of 500 rows, the view recompute and fake-indexeddb's synchronous engine per",
    "page. To close it: prefetch page n+1 while writing page n, validate and",
    "apply in slices that yield to the event loop, and recompute the view once at the end of an initial sync.",
    "Chromium's IndexedDB would change the absolute figures; this run is Node.",
  ].join(" "),
  "local-write": [
    "A local write commits the record and its queue entry in IndexedDB and only then updates the view, so the",
    "change becomes visible no sooner than it is durable, and the write costs more than one raw put (several",
    "stores in the transaction, a read of the current state, the queue's bookkeeping). To close it: update the",
    "view optimistically before the transaction commits (roll back on failure), and write record and queue",
    "entry in one transaction over as few stores as possible. Part of the cost is the offline setting itself: with",
    "autoSync off nothing is confirmed, so up to 1,100 pending operations accumulate and each write rebases the",
    "view over all of them (`setPending([...pendingEntries(), entry])`), then 100 live queries re-run.",
  ].join(" "),
  "stream-scale": [
    "Both fan-out times are bounded by the subscriber side (one Node process reading every stream on the same",
    "two cores) and ours includes the triggering push. Memory is the clearer signal: each of our streams holds",
    "Hono's SSE stream machinery, a notifier subscription, its own heartbeat timer and a copy of the user's",
    "list ids, about 6x the bare broadcaster's heap per stream. A shared heartbeat timer and one membership",
    "cache per user (not per stream) would narrow it.",
  ].join(" "),
};
