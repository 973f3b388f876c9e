import * as z from "zod";
import { expecting, noRepeats, singleLine } from "./primitives";
import { type FieldError, parseWith } from "./validation";

const interestList = (description: string, min: number) =>
  z
    // Single lines: the partner form splits its text areas on line breaks, one item per line.
    .array(singleLine(1, 200), { error: expecting("a list of short texts") })
    .min(min, { error: "must list at least one item" })
    .max(20, { error: "must list at most 20 items" })
    .superRefine(noRepeats("the item"))
    .meta({ description });

/** One partner's interests: what it says it wants, what it quietly cares about, and what it cannot afford to lose. */
export const InterestMapSchema = z
  .strictObject(
    {
      explicit: interestList("Stated goals for the alliance (at least one)", 1),
      implicit: interestList("Unstated interests: autonomy, brand, risks to avoid", 0).default([]),
      cannotAffordToLose: interestList("What this partner cannot afford to lose (at least one)", 1),
    },
    { error: expecting("an object with explicit, implicit and cannotAffordToLose") },
  )
  .meta({ title: "Interest map" });
export type InterestMap = z.infer<typeof InterestMapSchema>;

/** Parse a submitted interest map; errors name the field ("explicit[0]"). */
export function parseInterestMap(
  input: unknown,
): { ok: true; interestMap: InterestMap } | { ok: false; errors: FieldError[] } {
  const result = parseWith(InterestMapSchema, input);
  return result.ok ? { ok: true, interestMap: result.value } : result;
}
