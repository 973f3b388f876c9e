import { randomUUID } from "node:crypto";
import { type CfnTemplate, type LocalNaming, resolveIntrinsics } from "./cfn";
import type { LocalClock } from "./clock";
import type { LambdaHost } from "./lambda/host";

/** An EventBridge schedule rule as the synthesized template declares it. */
export interface LocalSchedule {
  ruleName: string;
  periodMs: number;
  targets: string[];
}

/** Lambda retries a failed asynchronous invocation twice: after a minute, then after two more. */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

const RATE_UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Reads `rate(...)` schedule rules and their Lambda targets from the template. */
export function schedulesFromTemplate(template: CfnTemplate, naming: LocalNaming): LocalSchedule[] {
  const schedules: LocalSchedule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== "AWS::Events::Rule") continue;
    const props = resource.Properties ?? {};
    const expression = String(props.ScheduleExpression ?? "");
    const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
    if (!rate) {
      if (expression)
        console.warn(`[schedule] ${logicalId}: only rate() expressions run locally, skipping ${expression}`);
      continue;
    }
    const targets = ((props.Targets as { Arn: unknown }[] | undefined) ?? []).map((t) =>
      String(resolveIntrinsics(t.Arn, template, naming)),
    );
    schedules.push({
      ruleName: String(props.Name ?? logicalId),
      periodMs: Number(rate[1]) * (RATE_UNIT_MS[rate[2] ?? "hour"] ?? 3_600_000),
      targets,
    });
  }
  return schedules;
}

/**
 * Fires each schedule on the local clock with the same "Scheduled Event" EventBridge sends. When the clock
 * jumps over several periods it fires once, as a late sweep would, rather than replaying every tick; when it is
 * moved back, the next tick is the next period of the new time.
 */
export class LocalScheduler {
  private readonly stopped = new AbortController();

  constructor(
    private readonly schedules: LocalSchedule[],
    private readonly clock: LocalClock,
    private readonly lambdas: Pick<LambdaHost, "invoke" | "find">,
    private readonly naming: LocalNaming,
    /** Whether EventBridge may invoke a function for a rule (the function's resource policy). */
    private readonly mayInvoke: (
      functionArn: string,
      principalService: string,
      sourceArn: string,
    ) => boolean = () => true,
  ) {}

  start(): void {
    for (const schedule of this.schedules) void this.loop(schedule);
  }

  stop(): void {
    this.stopped.abort();
  }

  private async loop(schedule: LocalSchedule): Promise<void> {
    const firstTick = () => Math.ceil(this.clock.now() / schedule.periodMs) * schedule.periodMs;
    let next = firstTick();
    while (!this.stopped.signal.aborted) {
      // A clock moved back (`clock reset --force`) would leave the next tick far ahead: an hourly sweep would not
      // run again until the clock caught up. EventBridge runs a rate() rule every period of the time it is now.
      const rewound = new AbortController();
      const unsubscribe = this.clock.onChange(() => {
        if (next - this.clock.now() > schedule.periodMs) rewound.abort();
      });
      await this.clock
        .sleepUntil(next, AbortSignal.any([this.stopped.signal, rewound.signal]))
        .catch(() => undefined);
      unsubscribe();
      if (this.stopped.signal.aborted) return;
      if (rewound.signal.aborted) {
        next = firstTick();
        continue;
      }
      // Not awaited: a run still retrying (minutes apart) never holds back the next tick, as in EventBridge.
      void this.fire(schedule, this.clock.now());
      next = (Math.floor(this.clock.now() / schedule.periodMs) + 1) * schedule.periodMs;
    }
  }

  /** Invokes every target of a schedule once, as EventBridge would at `at`. */
  async fire(schedule: LocalSchedule, at: number): Promise<void> {
    const event = {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: this.naming.accountId,
      time: new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.naming.region,
      resources: [`arn:aws:events:${this.naming.region}:${this.naming.accountId}:rule/${schedule.ruleName}`],
      detail: {},
    };
    const ruleArn = event.resources[0] ?? "";
    await Promise.all(
      schedule.targets.map(async (target) => {
        // EventBridge invokes only where the function's resource policy lets the rule do so; else it drops the event.
        if (!this.mayInvoke(this.lambdas.find(target).arn, "events.amazonaws.com", ruleArn)) return;
        await invokeAsynchronously({
          lambdas: this.lambdas,
          clock: this.clock,
          signal: this.stopped.signal,
          label: `[schedule] ${schedule.ruleName} → ${target}`,
          target,
          event,
        });
      }),
    );
  }
}

/**
 * Lambda's asynchronous invocation, as EventBridge makes it: a function error is retried twice, a minute and then
 * two minutes later (on the local clock), before the event is given up.
 */
export async function invokeAsynchronously(input: {
  lambdas: Pick<LambdaHost, "invoke">;
  clock: LocalClock;
  signal: AbortSignal;
  /** Names the rule and target in the log. */
  label: string;
  target: string;
  event: unknown;
}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await input.lambdas.invoke(input.target, input.event);
      return;
    } catch (error) {
      const retryInMs = ASYNC_RETRY_DELAYS_MS[attempt];
      console.error(
        `${input.label} failed${retryInMs === undefined ? " (event dropped after 2 retries)" : `; retrying in ${retryInMs / 60_000} min`}:`,
        error,
      );
      if (retryInMs === undefined) return;
      await input.clock.sleepUntil(input.clock.now() + retryInMs, input.signal).catch(() => undefined);
      if (input.signal.aborted) return;
    }
  }
}
