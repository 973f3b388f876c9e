import * as z from "zod";
import { sweepDueReviews } from "../realignment/sweep";
import { taskHandler } from "../shared/task";

const ScheduledEventSchema = z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() });

/** Hourly (EventBridge schedule): start the realignment review of every alliance that is due. */
export const handler = taskHandler(ScheduledEventSchema, "scheduled event", sweepDueReviews);
