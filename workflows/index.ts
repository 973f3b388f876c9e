import type { WorkflowSpec } from "../infra/constructs/workflows";
import { formation } from "./formation";

/** Every lifecycle workflow the stack deploys; each entry becomes the state machine `concord-<id>`. */
export const workflows: WorkflowSpec[] = [formation];
