import * as z from "zod";

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");
const Version = z.int().min(1);

/** Input of the formation workflow and of its whole-alliance tasks. */
export const FormationInputSchema = z.object({ allianceId: AllianceId, version: Version });
export type FormationInput = z.infer<typeof FormationInputSchema>;

/** A return-to-draft task. */
export const ReturnTaskSchema = FormationInputSchema.extend({ reason: z.enum(["audit", "rejected"]) });

/** The request-engine instance of one formation: every request of a charter version's formation belongs to it. */
export function formationInstance(version: number): string {
  return `formation-v${String(version).padStart(4, "0")}`;
}

/** The formation version an instance names (`formation-v0002` → 2); undefined for another workflow's instance. */
export function formationVersionOf(instance: string): number | undefined {
  const match = /^formation-v(\d{4})$/.exec(instance);
  return match ? Number(match[1]) : undefined;
}
