import { z } from "zod";
import { cursorSchema } from "./primitives.js";

/** SSE event names on GET /api/sync/stream. */
export const STREAM_EVENTS = { poke: "poke", ping: "ping" } as const;

/** A poke says "something you can see changed; pull from your cursor". */
export const pokeSchema = z.strictObject({ cursor: cursorSchema });
export type Poke = z.infer<typeof pokeSchema>;
