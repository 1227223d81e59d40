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
    "All three goals are met since the push became set-based: one query finds every recorded op of the batch,",
    "one loads the touched rows per table, one the caller's memberships; decisions are made in memory, and the",
    "writes are one multi-row upsert per table plus one insert into the op log, with versions assigned in one",
    "statement under the lock. A replay is cheaper than the first drain because nothing is written. The naive",
    "queue pays a request, a transaction and the per-request work for each operation. The sync-client figure",
    "(fake-indexeddb in Node) is bounded by fake-indexeddb's cost per transaction, not by the server.",
  ].join(" "),
  ingest: [
    "Ingest rose from 35 to about 9,000 ops/s with 8 clients after the set-based push, but is still about a fifth",
    "of a bare multi-row upsert: each push also parses and validates its JSON with zod (about 25 ms per 500 ops),",
    "locks the client row, dedupes, checks membership, merges per field and records each outcome, all of which",
    "the raw upsert skips. With 100 clients the version advisory lock (C1: versions visible in commit order)",
    "serialises the write tail of every push, so throughput falls. To close it: a cheaper request parser for the",
    "hot path (or validating per op only once), folding the version statement into the upsert, and shortening",
    "the locked tail further.",
  ].join(" "),
  propagation: [
    "p99 is under its goal; p50 is about 34 ms, close to its own floor (push then immediate pull, 35 ms), so the",
    "stream adds almost nothing: the time is the push, the pull and B's IndexedDB write. To reach 10 ms: carry",
    "small changes in the poke itself so B can skip the pull round trip, and keep the pull's membership set per",
    "connection.",
  ].join(" "),
  "initial-sync": [
    "Not met, and this run is worse than the first one despite the prefetch of the next page. The raw pull of",
    "every page alone takes about 13 s (the server's pull: a REPEATABLE READ transaction per page over every",
    "entity table with membership sub-queries, then JSON of 377 bytes per row), so even a perfect client cannot",
    "reach 1.3x of a local bulk put; the rest is fake-indexeddb's per-transaction cost, zod validation of each",
    "page and the view update per page. The longest event-loop block (383 ms) is fake-indexeddb's synchronous",
    "engine committing a 500-row page in Node. To close it: a cheaper pull query (one scan of a changes index",
    "instead of per-table membership sub-queries), smaller rows on the wire, validation and view updates in",
    "slices that yield, and a measurement in Chromium's IndexedDB rather than Node's fake-indexeddb.",
  ].join(" "),
  "local-write": [
    "The optimistic-update goal is met (p99 9.5 ms with 100 live queries). The durable write is still several",
    "times one raw put: the view updates only once the operation is durable (rule L3), and that transaction",
    "reads the meta (sequence, HLC) and writes the queue entry and the meta, against one put for the raw",
    "baseline. To close it: keep seq and HLC in memory under the tab's lock and persist them lazily, so a write",
    "is one put into the queue store.",
  ].join(" "),
  "stream-scale": [
    "Both fan-out times are bounded by the subscriber side (one Node process reading every stream on the same",
    "two cores) and ours includes the triggering push. Memory is the clearer signal: each of our streams holds",
    "Hono's SSE stream machinery, a notifier subscription, its own heartbeat timer and a copy of the user's",
    "list ids, about 6x the bare broadcaster's heap per stream. A shared heartbeat timer and one membership",
    "cache per user (not per stream) would narrow it.",
  ].join(" "),
};
