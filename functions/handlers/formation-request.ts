import { PartnerTaskSchema, parseEvent } from "../formation/inputs";
import { openPartnerRequest } from "../formation/requests";

/** Formation task (waitForTaskToken): open a partner request and mail its link. */
export const handler = async (event: unknown) => {
  await openPartnerRequest(parseEvent(PartnerTaskSchema, event, "partner request task"));
  return { requested: true };
};
