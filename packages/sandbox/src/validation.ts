import type { z } from "zod";

/** The first thing wrong with a request: the field (its path, dot-joined) and what the gateway says about it. */
export interface Problem {
  field: string;
  message: string;
  /** What the schema attached to the issue (e.g. an HTTP status other than the usual one). */
  params?: Record<string, unknown>;
}

/**
 * The first problem zod finds in `value`, or undefined when it is valid. A schema lists its fields in the
 * spec's table order, so the first issue is the one the gateway names.
 */
export function firstProblem(schema: z.ZodType, value: unknown): Problem | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const params = issue && "params" in issue ? issue.params : undefined;
  return { field: issue?.path.join(".") ?? "", message: issue?.message ?? "invalid request", ...(params ? { params } : {}) };
}
