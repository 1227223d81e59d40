import { drainQueue } from "./benchmarks/drain.js";
import { serverIngest } from "./benchmarks/ingest.js";
import { initialSync } from "./benchmarks/initial-sync.js";
import { localWrite } from "./benchmarks/local-write.js";
import { propagation } from "./benchmarks/propagation.js";
import { resolvers } from "./benchmarks/resolvers.js";
import { streamScale } from "./benchmarks/stream-scale.js";
import { wireBytes } from "./benchmarks/wire-bytes.js";
import type { Benchmark } from "./types.js";

/** Every benchmark, in the order the report lists them (issue 6's numbering in brackets). */
export const BENCHMARKS: readonly Benchmark[] = [
  resolvers, // 6
  wireBytes, // 8
  drainQueue, // 1
  serverIngest, // 2
  propagation, // 5
  streamScale, // 7
  localWrite, // 3
  initialSync, // 4
];
