import { ErrorCode } from "@sync/protocol";
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./api-error.js";

export const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Reads a JSON body: 415 for another content type, 400 INVALID_JSON for broken JSON. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!JSON_TYPE.test(type)) {
    throw new ApiError(
      415,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      "expected Content-Type: application/json",
    );
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ApiError(400, ErrorCode.INVALID_JSON, "the request body is not valid JSON", {
      cause,
    });
  }
}

/** Zod issues as error details, capped so a huge bad body cannot make a huge answer. */
export function validationDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(400, ErrorCode.VALIDATION, `invalid ${what}`, {
      details: validationDetails(parsed.error),
    });
  }
  return parsed.data;
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseWith(schema, await readJsonBody(c), "request body");
}
