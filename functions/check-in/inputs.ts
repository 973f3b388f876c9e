import * as z from "zod";

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");

/** Input of the check-in workflow and of its tasks: the alliance, and the check-in (also the request instance). */
export const CheckInInputSchema = z.object({
  allianceId: AllianceId,
  checkInId: z.string().regex(/^checkin-[a-z0-9-]+-\d{4}$/, "must be a check-in id"),
  cycle: z.int().min(1),
});
export type CheckInInput = z.infer<typeof CheckInInputSchema>;

/** The alliance's `cycle`-th health check-in: also the execution's name, so a cycle never runs twice. */
export function checkInIdOf(allianceId: string, cycle: number): string {
  return `checkin-${allianceId}-${String(cycle).padStart(4, "0")}`;
}
