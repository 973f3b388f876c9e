import { SendEmailCommand } from "@aws-sdk/client-ses";
import * as z from "zod";
import { discardSesClient, ses } from "../shared/clients";
import { config } from "../shared/config";
import { subjectLine } from "./layout";

// Text that is not well-formed Unicode (a lone surrogate) cannot be encoded for SES at all.
const wellFormed = (value: string) => value.isWellFormed();
const WELL_FORMED = { error: "must be well-formed Unicode (it holds a lone surrogate)" };

const OutgoingEmailSchema = z.object({
  to: z
    .array(z.email({ error: "must be a valid email address" }))
    .min(1, { error: "must name at least one recipient" }),
  subject: z
    .string()
    .min(1, { error: "must not be empty" })
    .refine((subject) => !/[\r\n]/.test(subject), { error: "must be a single line" })
    .refine(wellFormed, WELL_FORMED),
  text: z.string().min(1, { error: "must not be empty" }).refine(wellFormed, WELL_FORMED),
  html: z.string().min(1, { error: "must not be empty" }).refine(wellFormed, WELL_FORMED),
  replyTo: z.array(z.email({ error: "must be a valid email address" })).optional(),
});

/** An email ready to send: recipients plus a rendered template. */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Reply-To address(es); default none (replies go to MAIL_FROM). */
  replyTo?: string | string[];
  /** The display name before MAIL_FROM ("Harbour Alliance via Concord"); default none. */
  senderName?: string;
}

/** The email was not sendable as given (bad address, empty part); the message names the field. */
export class InvalidEmailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEmailError";
  }
}

/** SES accepted the call but returned no MessageId, so delivery cannot be traced. */
export class MissingMessageIdError extends Error {
  constructor() {
    super("SES accepted the email but returned no MessageId");
    this.name = "MissingMessageIdError";
  }
}

/** Sends one email through SES (v1 SendEmail) from config().MAIL_FROM; returns SES's MessageId. */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  const replyTo = typeof email.replyTo === "string" ? [email.replyTo] : email.replyTo;
  const parsed = OutgoingEmailSchema.safeParse({ ...email, replyTo });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "email"}: ${issue.message}`,
    );
    throw new InvalidEmailError(`Cannot send email: ${problems.join("; ")}`);
  }
  const { to, subject, text, html } = parsed.data;
  const result = await sendThroughSes(
    new SendEmailCommand({
      Source: sender(config().MAIL_FROM, email.senderName),
      Destination: { ToAddresses: to },
      Message: {
        Subject: { Data: subject, Charset: "UTF-8" },
        Body: { Text: { Data: text, Charset: "UTF-8" }, Html: { Data: html, Charset: "UTF-8" } },
      },
      ...(parsed.data.replyTo === undefined ? {} : { ReplyToAddresses: parsed.data.replyTo }),
    }),
  );
  if (result.MessageId === undefined) throw new MissingMessageIdError();
  return result.MessageId;
}

/**
 * The Source of an email: the address, with a display name when given. A name of plain printable ASCII is quoted
 * (RFC 5322); any other is an RFC 2047 encoded word, which SES requires for non-ASCII names. Line breaks and
 * controls never reach the header.
 */
export function sender(address: string, displayName: string | undefined): string {
  const name = displayName === undefined ? "" : subjectLine(displayName);
  if (!name) return address;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, "\\$&")}" <${address}>`;
  return `=?utf-8?B?${Buffer.from(name, "utf8").toString("base64")}?= <${address}>`;
}

/** Sends a command; a failure inside the SDK (no answer from SES) discards the client, whose state it may have left. */
export async function sendThroughSes(command: SendEmailCommand) {
  try {
    return await ses().send(command);
  } catch (error) {
    // The SDK adds $metadata to every error that went through its request pipeline (service errors,
    // network errors after retries); an error without it was thrown before, while building the request.
    if (!(error instanceof Error && "$metadata" in error)) discardSesClient();
    throw error;
  }
}
