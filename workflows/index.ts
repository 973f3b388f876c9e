import type { WorkflowSpec } from "../infra/constructs/workflows";
import { checkIn } from "./check-in";
import { escalation } from "./escalation";
import { exit } from "./exit";
import { formation } from "./formation";
import { realignment } from "./realignment";

/** Every lifecycle workflow the stack deploys; each entry becomes the state machine `concord-<id>`. */
export const workflows: WorkflowSpec[] = [formation, realignment, checkIn, exit, escalation];
