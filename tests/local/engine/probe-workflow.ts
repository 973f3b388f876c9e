import { Succeed } from "aws-cdk-lib/aws-stepfunctions";
import type { RequestKind } from "../../../functions/requests";
import type { WorkflowSpec } from "../../../infra/constructs/workflows";
import { askAndWait } from "../../../workflows/steps";
import { PROBE_KIND } from "./probe-kind";

/** State names of the probe workflow. */
export const ProbeStates = {
  round: "Probe round",
  ask: "Ask probe question",
  missed: "Probe deadline missed",
  done: "Probe done",
} as const;

/**
 * A workflow that exists only in tests: one "ask and wait" round of the probe kind. Its input carries the
 * round itself (`{ allianceId, round }`), so it needs no task of its own.
 */
export const probeWorkflow: WorkflowSpec = {
  id: "probe",
  envName: "PROBE_STATE_MACHINE_ARN",
  build(ctx) {
    return askAndWait(ctx, {
      // The product's RequestKind does not know the probe; the registry does once the test adds it.
      kind: PROBE_KIND as RequestKind,
      roundPath: "$.round",
      names: { round: ProbeStates.round, ask: ProbeStates.ask, missed: ProbeStates.missed },
    }).next(new Succeed(ctx.scope, ProbeStates.done));
  },
};
