import * as z from "zod";
import { ContactRoleSchema, EmailSchema, SlugSchema } from "../domain";
import { RequestKindSchema } from "./registry";

// What the workflows hand the request engine's tasks. The "ask and wait" step (workflows/steps.ts) builds
// these payloads from a round that the step before it prepared; the handlers parse them with these schemas.

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");

/** A workflow instance that asks for decisions: "formation-v0002", "review-2027-03", "escalation-x-rung-2". */
export const InstanceSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "must be a workflow instance id (lowercase letters, digits, dashes)");

/** Who is asked for one decision: a partner's lead, every contact of a partner with a role, or one contact. */
export const RecipientSchema = z.discriminatedUnion("who", [
  z.strictObject({ who: z.literal("lead"), partnerId: SlugSchema }),
  z.strictObject({ who: z.literal("role"), partnerId: SlugSchema, role: ContactRoleSchema }),
  z.strictObject({ who: z.literal("contact"), partnerId: SlugSchema, email: EmailSchema }),
]);
export type Recipient = z.infer<typeof RecipientSchema>;

/**
 * The error an admin's extension fails a waiting "ask" task with (SendTaskFailure): the step catches it and asks
 * again with the new deadline as the task's timeout, which its Cause carries in seconds (a running task's timeout
 * cannot move). The request is not mailed again: it is still open, with its deadline moved.
 */
export const DEADLINE_EXTENDED_ERROR = "Concord.DeadlineExtended";

// Step Functions' TimeoutSeconds is at most a year; a round never needs more.
const MAX_ROUND_SECONDS = 365 * 86_400;

/**
 * A round of asking, computed once by the step that prepares it (from the charter): the instance, who is
 * asked, how long they have and when they are reminded. The "ask and wait" step maps over `recipients`.
 */
export const RoundSchema = z.strictObject({
  instance: InstanceSchema,
  charterVersion: z.int().min(1),
  deadlineSeconds: z.int().min(60).max(MAX_ROUND_SECONDS),
  /** Seconds before the deadline that the reminder goes out; 0 for none. */
  remindBeforeSeconds: z.int().min(0).max(MAX_ROUND_SECONDS),
  recipients: z.array(RecipientSchema).superRefine((recipients, ctx) => {
    // Two recipients giving the same decision would share one outcome and one waiting task.
    const seen = new Set<string>();
    recipients.forEach((recipient, index) => {
      const respondent = respondentOf(recipient);
      if (seen.has(respondent)) {
        ctx.addIssue({ code: "custom", path: [index], message: `asks ${respondent} twice in one round` });
      }
      seen.add(respondent);
    });
  }),
});
export type Round = z.infer<typeof RoundSchema>;

const RoundItem = {
  allianceId: AllianceId,
  kind: RequestKindSchema,
  instance: InstanceSchema,
  charterVersion: z.int().min(1),
  recipient: RecipientSchema,
};

/** The waitForTaskToken task of one recipient: open its request(s) and mail the link(s). */
export const AskTaskSchema = z.strictObject({
  ...RoundItem,
  taskToken: z.string().min(1),
  /** The execution that waits, so a closed task can be told from a stopped workflow. */
  executionArn: z.string().startsWith("arn:").optional(),
  deadlineSeconds: RoundSchema.shape.deadlineSeconds,
  remindBeforeSeconds: RoundSchema.shape.remindBeforeSeconds,
});
export type AskTask = z.infer<typeof AskTaskSchema>;

/** The task that runs when a recipient's deadline passed without a decision. */
export const MissedTaskSchema = z.strictObject(RoundItem);
export type MissedTask = z.infer<typeof MissedTaskSchema>;

/**
 * Whose decision a recipient gives: the partner's (its lead answers), the partner's contacts with one role
 * (any of them answers; the first wins), or one named contact's own.
 */
export function respondentOf(recipient: Recipient): string {
  switch (recipient.who) {
    case "lead":
      return recipient.partnerId;
    case "role":
      return `${recipient.partnerId}.${recipient.role}`;
    case "contact":
      return `${recipient.partnerId}.${recipient.email.toLowerCase()}`;
  }
}
