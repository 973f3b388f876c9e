import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Construct } from "constructs";
import { workflows as registeredWorkflows } from "../workflows";
import { ConcordFunction } from "./constructs/concord-function";
import { ConcordData } from "./constructs/data";
import { ConcordHttpApi } from "./constructs/http-api";
import { ConcordMail } from "./constructs/mail";
import { ConcordSchedule } from "./constructs/schedule";
import { ConcordWorkflow, type WorkflowSpec, WorkflowSpecError } from "./constructs/workflows";

/** Repo-relative entries of the handlers the stack itself wires (the workflows bring their own). */
export const HANDLER_ENTRIES = {
  adminHttp: "functions/handlers/admin-http.ts",
  partnerHttp: "functions/handlers/partner-http.ts",
  reminderSweep: "functions/handlers/reminder-sweep.ts",
  reviewSweep: "functions/handlers/review-sweep.ts",
  executionProblem: "functions/handlers/execution-problem.ts",
} as const;

/** Props of the Concord stack. */
export interface ConcordStackProps extends StackProps {
  /** Lifecycle workflows to deploy. @default the registry in workflows/index.ts */
  readonly workflows?: readonly WorkflowSpec[];
}

/** Concord: data, mail, the HTTP API, the lifecycle workflows, their handlers and the hourly sweeps. */
export class ConcordStack extends Stack {
  /** Deployed workflows, in registry order. */
  readonly workflows: readonly ConcordWorkflow[];

  constructor(scope: Construct, id: string, props: ConcordStackProps = {}) {
    super(scope, id, props);
    const specs = props.workflows ?? registeredWorkflows;
    assertDistinct(specs);

    const { table } = new ConcordData(this, "Data");
    const mail = new ConcordMail(this, "Mail");
    // The API exists before the workflows (tasks need APP_URL); its routes come last (handlers need the machines).
    const api = new ConcordHttpApi(this, "Http");

    const workflowScope = new Construct(this, "Workflows");
    this.workflows = specs.map(
      (spec) => new ConcordWorkflow(workflowScope, spec.id, { spec, table, mail, appUrl: api.url }),
    );

    const admin = new ConcordFunction(this, "AdminHttp", {
      entry: HANDLER_ENTRIES.adminHttp,
      description:
        "Admin API: create and revise alliances (starting their formation), read them, act on requests",
    })
      .bindTable(table)
      .bindMail(mail)
      .bindAppUrl(api.url);
    const partner = new ConcordFunction(this, "PartnerHttp", {
      entry: HANDLER_ENTRIES.partnerHttp,
      description: "Partner decision and concern pages behind capability links",
    })
      .bindTable(table)
      .bindMail(mail)
      .bindAppUrl(api.url)
      .bindTaskCallbacks();
    // The reminder sweep binds mail and APP_URL because every handler's config() requires them.
    // It also delivers decisions stranded before their SendTaskSuccess, hence the task callbacks.
    const reminderSweep = new ConcordFunction(this, "ReminderSweep", {
      entry: HANDLER_ENTRIES.reminderSweep,
      description: "Reminds people whose requests near their deadline; delivers stranded decisions",
      timeout: Duration.minutes(1),
    })
      .bindTable(table)
      .bindMail(mail)
      .bindAppUrl(api.url)
      .bindTaskCallbacks();
    // An admin answers waiting tasks: a contested asset division's, and every task of a round it gives more time.
    admin.bindTaskCallbacks();
    for (const workflow of this.workflows) {
      // An admin starts workflows (and reads when one started: a round's deadline cannot move past the year an
      // execution may run), and retries one that stopped from where it stopped.
      admin
        .bindStateMachine(workflow.spec.envName, workflow.stateMachine)
        .bindExecutionRedrives(workflow.stateMachineName);
      // An admin cancels a forming alliance by stopping its formation.
      if (workflow.spec.id === "formation") admin.bindExecutionStops(workflow.stateMachineName);
      // An admin cancels an exit by stopping its execution (and decides a contested division by answering its task).
      if (workflow.spec.id === "exit") admin.bindExecutionStops(workflow.stateMachineName);
      // An admin withdraws an escalation by stopping its execution; a partner raises a concern through its link.
      if (workflow.spec.id === "escalation") {
        admin.bindExecutionStops(workflow.stateMachineName);
        partner.bindStateMachine(workflow.spec.envName, workflow.stateMachine);
      }
      // Those that answer task tokens read whether an execution still runs when its task no longer waits.
      partner.bindExecutionReads(workflow.stateMachineName);
      reminderSweep.bindExecutionReads(workflow.stateMachineName);
    }

    // Past its last rung, an escalation whose charter invokes the exit plan starts the exit workflow.
    const exitWorkflow = this.workflows.find((w) => w.spec.id === "exit");
    const rungClose = this.workflows
      .find((w) => w.spec.id === "escalation")
      ?.functions.find((fn) => fn.entryPath === "functions/handlers/escalation-rung-close.ts");
    if (exitWorkflow && rungClose)
      rungClose.bindStateMachine(exitWorkflow.spec.envName, exitWorkflow.stateMachine);

    api.addPartnerRoutes(partner);
    api.addAdminRoutes(admin);
    const schedule = new ConcordSchedule(this, "Schedule");
    schedule.addSweep("ReminderSweep", reminderSweep, "Reminds partners whose requests near their deadline");
    // Starts the realignment review and the health check-in of every alliance that is due; mail and APP_URL because
    // config() requires them.
    const reviewSweep = new ConcordFunction(this, "ReviewSweep", {
      entry: HANDLER_ENTRIES.reviewSweep,
      description: "Starts the realignment reviews and health check-ins that are due",
      timeout: Duration.minutes(5),
    })
      .bindTable(table)
      .bindMail(mail)
      .bindAppUrl(api.url);
    const scheduled = this.workflows.filter((w) => w.spec.id === "realignment" || w.spec.id === "check-in");
    for (const workflow of scheduled)
      reviewSweep.bindStateMachine(workflow.spec.envName, workflow.stateMachine);
    if (scheduled.length > 0) {
      schedule.addSweep(
        "ReviewSweep",
        reviewSweep,
        "Starts the realignment reviews and health check-ins that are due",
      );
    }

    // A workflow that fails, times out or is stopped from outside shows on its alliance; the organiser is mailed.
    if (this.workflows.length > 0) {
      const problems = new ConcordFunction(this, "ExecutionProblem", {
        entry: HANDLER_ENTRIES.executionProblem,
        description:
          "Records a workflow that stopped without finishing on its alliance and tells the organiser",
      })
        .bindTable(table)
        .bindMail(mail)
        .bindAdminAddress(mail)
        .bindAppUrl(api.url);
      schedule.addExecutionProblems(
        "ExecutionProblems",
        problems,
        this.workflows.map((w) => w.stateMachine),
      );
    }

    new CfnOutput(this, "ApiUrl", {
      value: api.url,
      description: "Base URL of partner links and the admin API",
    });
    new CfnOutput(this, "TableName", { value: table.tableName, description: "Concord's DynamoDB table" });
  }
}

function assertDistinct(specs: readonly WorkflowSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    for (const key of [`id:${spec.id}`, `env:${spec.envName}`]) {
      if (seen.has(key))
        throw new WorkflowSpecError(spec.id, `${key.split(":")[0]} is used by two workflows`);
      seen.add(key);
    }
  }
}
