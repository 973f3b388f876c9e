import { MissedTaskSchema, parseEvent } from "../formation/inputs";
import { recordMissedDeadline } from "../formation/requests";

/** Formation task: a partner request's deadline passed; close it and apply the charter's rule. */
export const handler = async (event: unknown) =>
  recordMissedDeadline(parseEvent(MissedTaskSchema, event, "missed deadline task"));
