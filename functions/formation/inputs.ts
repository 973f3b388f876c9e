import { z } from "zod";
import { parseWith } from "../domain";

/** Raised when a Lambda event does not have the shape the workflow promises; names the fields. */
export class InvalidEventError extends Error {
  constructor(what: string, problems: string) {
    super(`${what}: ${problems}`);
    this.name = "InvalidEventError";
  }
}

/** Parses a task's event with zod, throwing InvalidEventError (field and problem) when it does not fit. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, what: string): z.output<S> {
  const result = parseWith(schema, event);
  if (!result.ok) {
    throw new InvalidEventError(
      what,
      result.errors.map((e) => `${e.path || "(event)"} ${e.message}`).join("; "),
    );
  }
  return result.value;
}

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");
const Version = z.int().min(1);
const PartnerId = z.string().min(1).max(64);
const RequestKind = z.enum(["interest-map", "charter-approval"]);

/** Input of the formation workflow and of its whole-alliance tasks. */
export const FormationInputSchema = z.object({ allianceId: AllianceId, version: Version });
export type FormationInput = z.infer<typeof FormationInputSchema>;

/** A partner request task (waitForTaskToken). */
export const PartnerTaskSchema = FormationInputSchema.extend({
  partnerId: PartnerId,
  kind: RequestKind,
  taskToken: z.string().min(1),
});

/** A missed-deadline task. */
export const MissedTaskSchema = FormationInputSchema.extend({ partnerId: PartnerId, kind: RequestKind });

/** A return-to-draft task. */
export const ReturnTaskSchema = FormationInputSchema.extend({ reason: z.enum(["audit", "rejected"]) });
