import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../../local/events";

const PATTERN = {
  source: ["aws.states"],
  "detail-type": ["Step Functions Execution Status Change"],
  detail: {
    status: ["FAILED", "TIMED_OUT", "ABORTED"],
    stateMachineArn: ["arn:sm:formation", "arn:sm:exit"],
  },
};

const event = (status: string, stateMachineArn = "arn:sm:formation") => ({
  source: "aws.states",
  "detail-type": "Step Functions Execution Status Change",
  resources: ["arn:execution"],
  detail: { status, stateMachineArn, name: "formation-x" },
});

describe("local EventBridge patterns", () => {
  it("match an event whose every named field takes one of the listed values", () => {
    expect(matchesPattern(PATTERN, event("FAILED"))).toBe(true);
    expect(matchesPattern(PATTERN, event("ABORTED", "arn:sm:exit"))).toBe(true);
  });

  it("do not match another value, another machine, or a field the event lacks", () => {
    expect(matchesPattern(PATTERN, event("SUCCEEDED"))).toBe(false);
    expect(matchesPattern(PATTERN, event("FAILED", "arn:sm:other"))).toBe(false);
    expect(matchesPattern(PATTERN, { ...event("FAILED"), detail: { status: "FAILED" } })).toBe(false);
    expect(matchesPattern({ source: ["aws.states"] }, { source: "aws.events" })).toBe(false);
  });

  it("match a list field when one of its values is listed, and never through a form they do not support", () => {
    expect(matchesPattern({ resources: ["arn:execution"] }, event("FAILED"))).toBe(true);
    expect(matchesPattern({ source: [{ prefix: "aws." }] }, event("FAILED"))).toBe(false);
  });
});
