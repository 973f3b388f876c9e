import * as z from "zod";
import { AllianceDraftSchema } from "./draft";
import { InterestMapSchema } from "./interest-map";

/** Where the published draft schema says it lives (a stable identifier, not a fetched URL). */
export const DRAFT_SCHEMA_ID = "https://concord.example.com/schemas/alliance-draft.schema.json";

/**
 * The alliance draft as JSON Schema (draft 2020-12), describing the input an admin writes: fields with
 * defaults are optional. Cross-field rules (unique ids and emails, partners named by the charter) are
 * checked by parseDraft only.
 */
export function draftJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(AllianceDraftSchema, { io: "input", target: "draft-2020-12" });
  return { $schema: schema.$schema, $id: DRAFT_SCHEMA_ID, ...schema };
}

/** The interest map as JSON Schema (draft 2020-12), for the partner form. */
export function interestMapJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(InterestMapSchema, { io: "input", target: "draft-2020-12" });
}
