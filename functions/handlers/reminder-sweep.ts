import * as z from "zod";
import { resumeStalledDecisions, sendDueReminders } from "../requests";
import { taskHandler } from "../shared/task";

const ScheduledEventSchema = z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() });

/**
 * Hourly (EventBridge schedule): remind people whose requests are close to their deadline, and retry
 * decisions that were recorded but never confirmed as delivered to their workflow.
 */
export const handler = taskHandler(ScheduledEventSchema, "scheduled event", async () => ({
  ...(await sendDueReminders()),
  ...(await resumeStalledDecisions()),
}));
