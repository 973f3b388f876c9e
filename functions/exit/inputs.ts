import * as z from "zod";
import { multiLine, SlugSchema, singleLine } from "../domain";

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

/** The request round of one wind-down obligation: `<exitId>-<obligationId>`, e.g. "exit-acme-0001-ob-02". */
export function obligationInstance(exitId: string, obligationId: string): string {
  return `${exitId}-${obligationId}`;
}

/** The exit and obligation an obligation round's instance names; undefined for any other instance. */
export function parseObligationInstance(
  instance: string,
): { exitId: string; obligationId: string } | undefined {
  const match = /^(exit-[a-z0-9-]+-\d{4})-(ob-\d{2,3})$/.exec(instance);
  return match ? { exitId: match[1] as string, obligationId: match[2] as string } : undefined;
}

/** The exit workflow's tasks act as this on the timeline. */
export const EXIT_SYSTEM = { kind: "system", id: "exit" } as const;

/** The task that waits for the admin's decision on a contested division: the exit input and its task token. */
export const DivisionDecisionTaskSchema = ExitInputSchema.extend({ taskToken: z.string().min(1) });
export type DivisionDecisionTask = z.infer<typeof DivisionDecisionTaskSchema>;

/** How an admin decides a contested division: a written resolution, and optionally the transfers that replace the plan's. */
export const DivisionDecisionSchema = z.strictObject({
  resolution: multiLine(1, 2000),
  transfers: z
    .array(
      z.strictObject({
        asset: singleLine(1, 120),
        from: SlugSchema,
        to: SlugSchema,
        share: z.number({ error: "must be a share between 0 and 1" }).min(0).max(1),
        what: z.enum(["hand-over", "buyout", "license"], {
          error: 'must be "hand-over", "buyout" or "license"',
        }),
      }),
    )
    .max(200)
    .optional(),
});

/** How long the exit workflow waits for the admin's division decision before reminding them (and waiting again). */
export const DIVISION_DECISION_REMINDER_DAYS = 14;
