import { randomUUID } from "node:crypto";
import { type CfnTemplate, type LocalNaming, resolveIntrinsics } from "./cfn";
import type { LocalClock } from "./clock";
import type { LambdaHost } from "./lambda/host";
import { invokeAsynchronously } from "./scheduler";

/** An EventBridge rule with an event pattern, as the synthesized template declares it. */
export interface LocalEventRule {
  ruleName: string;
  pattern: Record<string, unknown>;
  targets: string[];
}

/** An event as EventBridge delivers it (the fields patterns match on). */
export interface LocalEvent {
  source: string;
  "detail-type": string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** Reads the rules that match events (EventPattern) and their Lambda targets from the template. */
export function eventRulesFromTemplate(template: CfnTemplate, naming: LocalNaming): LocalEventRule[] {
  const rules: LocalEventRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== "AWS::Events::Rule") continue;
    const props = resource.Properties ?? {};
    if (props.EventPattern === undefined) continue;
    rules.push({
      ruleName: String(props.Name ?? logicalId),
      pattern: resolveIntrinsics(props.EventPattern, template, naming) as Record<string, unknown>,
      targets: ((props.Targets as { Arn: unknown }[] | undefined) ?? []).map((t) =>
        String(resolveIntrinsics(t.Arn, template, naming)),
      ),
    });
  }
  return rules;
}

/**
 * Whether `event` matches an EventBridge pattern, for the pattern forms Concord's stack uses: every field the
 * pattern names must be present; a list matches when the event's value (or one of its values) equals one of its
 * items; an object matches the event's object field by field. Other forms (prefix, numeric, anything-but) are
 * not supported and match nothing, so a rule that needs them is never silently too broad.
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(value) ? value : [value];
    return pattern.some((item) => typeof item !== "object" && values.some((v) => v === item));
  }
  if (pattern !== null && typeof pattern === "object") {
    if (value === null || typeof value !== "object") return false;
    return Object.entries(pattern).every(([key, inner]) =>
      matchesPattern(inner, (value as Record<string, unknown>)[key]),
    );
  }
  return false;
}

/**
 * The local event bus: an event put on it goes to every rule whose pattern matches, and each rule's Lambda targets
 * are invoked asynchronously as EventBridge would (where the function's resource policy allows the rule; a
 * failed invocation retried twice, a minute and two minutes later on the local clock).
 */
export class LocalEventBus {
  private readonly stopped = new AbortController();

  constructor(
    private readonly rules: readonly LocalEventRule[],
    private readonly clock: LocalClock,
    private readonly lambdas: Pick<LambdaHost, "invoke" | "find">,
    private readonly naming: LocalNaming,
    private readonly mayInvoke: (functionArn: string, principalService: string, sourceArn: string) => boolean,
  ) {}

  /** Delivers an event (not awaited by its source, as EventBridge delivers after the fact). */
  put(event: LocalEvent): Promise<void> {
    const full = {
      version: "0",
      id: randomUUID(),
      account: this.naming.accountId,
      time: new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.naming.region,
      ...event,
    };
    return Promise.all(
      this.rules
        .filter((rule) => matchesPattern(rule.pattern, full))
        .flatMap((rule) => {
          const ruleArn = `arn:aws:events:${this.naming.region}:${this.naming.accountId}:rule/${rule.ruleName}`;
          return rule.targets
            .filter((target) =>
              this.mayInvoke(this.lambdas.find(target).arn, "events.amazonaws.com", ruleArn),
            )
            .map((target) =>
              invokeAsynchronously({
                lambdas: this.lambdas,
                clock: this.clock,
                signal: this.stopped.signal,
                label: `[events] ${rule.ruleName} → ${target}`,
                target,
                event: full,
              }),
            );
        }),
    ).then(() => undefined);
  }

  stop(): void {
    this.stopped.abort();
  }
}
