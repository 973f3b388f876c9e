import * as z from "zod";
import { SlugSchema, singleLine } from "../domain";

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");

/** The exit workflow's input and its tasks': the alliance, the exit, and when it takes effect. */
export const ExitInputSchema = z.object({
  allianceId: AllianceId,
  exitId: z.string().regex(/^exit-[a-z0-9-]+-\d{4}$/, "must be an exit id"),
  effectiveDate: z.iso.datetime({ error: "must be an ISO 8601 UTC time" }),
});
export type ExitInput = z.infer<typeof ExitInputSchema>;

/** The alliance's `n`-th exit: also its execution's name. */
export function exitIdOf(allianceId: string, n: number): string {
  return `exit-${allianceId}-${String(n).padStart(4, "0")}`;
}

/** What an admin sends to start an exit: one partner's, or the alliance's dissolution. */
export const ExitStartSchema = z
  .strictObject({
    partnerId: SlugSchema.optional(),
    dissolve: z.literal(true, { error: "must be true to dissolve the alliance" }).optional(),
    reason: singleLine(1, 500),
    effectiveDate: z.string({ error: "must be a date such as 2027-03-31" }).optional(),
    forceMajeure: z.boolean({ error: "must be true or false" }).optional(),
  })
  .refine((body) => (body.partnerId === undefined) !== (body.dissolve === undefined), {
    path: ["partnerId"],
    message: "name the leaving partner (partnerId) or dissolve the alliance (dissolve: true), not both",
  });
export type ExitStart = z.infer<typeof ExitStartSchema>;

/** What an admin sends to cancel an exit. */
export const ExitCancelSchema = z.strictObject({ reason: singleLine(1, 500) });
