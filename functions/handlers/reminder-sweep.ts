import { z } from "zod";
import { parseEvent } from "../formation/inputs";
import { sendDueReminders } from "../formation/reminders";
import { resumeStalledDecisions } from "../formation/resume";

const ScheduledEventSchema = z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() });

/**
 * Hourly (EventBridge schedule): remind partners whose requests are close to their deadline, and retry
 * decisions that were recorded but never reached their workflow.
 */
export const handler = async (event: unknown) => {
  parseEvent(ScheduledEventSchema, event, "scheduled event");
  return { ...(await sendDueReminders()), ...(await resumeStalledDecisions()) };
};
