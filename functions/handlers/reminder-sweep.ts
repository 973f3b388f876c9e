import { z } from "zod";
import { parseEvent } from "../formation/inputs";
import { sendDueReminders } from "../formation/reminders";

const ScheduledEventSchema = z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() });

/** Hourly (EventBridge schedule): remind partners whose requests are close to their deadline. */
export const handler = async (event: unknown) => {
  parseEvent(ScheduledEventSchema, event, "scheduled event");
  return sendDueReminders();
};
