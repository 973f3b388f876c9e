import * as z from "zod";
import { sweepDueCheckIns } from "../check-in/sweep";
import { sweepDueReviews } from "../realignment/sweep";
import { taskHandler } from "../shared/task";

const ScheduledEventSchema = z.object({ "detail-type": z.literal("Scheduled Event"), time: z.string() });

/** Hourly (EventBridge schedule): start the realignment review and the health check-in of every alliance that is due. */
export const handler = taskHandler(ScheduledEventSchema, "scheduled event", async () => {
  const reviews = await sweepDueReviews();
  const checkIns = await sweepDueCheckIns();
  return { reviews, checkIns };
});
