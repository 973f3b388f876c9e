import { Duration } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";

/** Props of the sweep schedule. */
export interface ConcordScheduleProps {
  /** How often every sweep runs. @default one hour */
  readonly every?: Duration;
}

/**
 * EventBridge rules that run Concord's sweeps (due reviews, request reminders) at a fixed rate, so no person
 * has to remember a date (rate expressions only: the local cloud's scheduler runs exactly those), and the rule
 * that reports a workflow that stopped.
 */
export class ConcordSchedule extends Construct {
  private readonly every: Duration;

  constructor(scope: Construct, id: string, props: ConcordScheduleProps = {}) {
    super(scope, id);
    this.every = props.every ?? Duration.hours(1);
  }

  /**
   * Adds a rule that invokes `handler` whenever an execution of one of `stateMachines` fails, times out or is
   * aborted (Step Functions' "Execution Status Change" events; EventBridge retries a failed invoke twice).
   */
  addExecutionProblems(id: string, handler: IFunction, stateMachines: readonly IStateMachine[]): Rule {
    return new Rule(this, id, {
      description: "Tells Concord when one of its workflows stops without finishing",
      eventPattern: {
        source: ["aws.states"],
        detailType: ["Step Functions Execution Status Change"],
        detail: {
          status: ["FAILED", "TIMED_OUT", "ABORTED"],
          stateMachineArn: stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [new LambdaFunction(handler, { retryAttempts: 2 })],
    });
  }

  /** Adds a rule that invokes `sweep` at the schedule's rate (EventBridge retries a failed invoke twice). */
  addSweep(id: string, sweep: IFunction, description: string): Rule {
    return new Rule(this, id, {
      description,
      schedule: Schedule.rate(this.every),
      targets: [new LambdaFunction(sweep, { retryAttempts: 2 })],
    });
  }
}
