import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidEventError } from "../../../functions/shared/events";
import { isTransient, TransientDependencyError, taskHandler } from "../../../functions/shared/task";

const named = (name: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...fields });

describe("transient dependency failures", () => {
  it("are what goes away on its own: unreachable endpoints, throttling, conflicts, 5xx", () => {
    expect(
      isTransient(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isTransient(new Error("socket hang up"))).toBe(true);
    expect(isTransient(named("ThrottlingException"))).toBe(true);
    expect(isTransient(named("InternalServerError", { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(named("Whatever", { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(
      isTransient(
        named("TransactionCanceledException", { CancellationReasons: [{ Code: "TransactionConflict" }] }),
      ),
    ).toBe(true);
    expect(isTransient(new Error("wrapped", { cause: named("ThrottlingException") }))).toBe(true);
  });

  it("are not a refused condition, a bad request or a bug", () => {
    expect(
      isTransient(named("ConditionalCheckFailedException", { $metadata: { httpStatusCode: 400 } })),
    ).toBe(false);
    expect(
      isTransient(
        named("TransactionCanceledException", { CancellationReasons: [{ Code: "ConditionalCheckFailed" }] }),
      ),
    ).toBe(false);
    expect(isTransient(named("ValidationException", { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransient(new TypeError("undefined is not a function"))).toBe(false);
  });
});

describe("a task handler", () => {
  const handler = taskHandler(z.object({ allianceId: z.string() }), "test task", async ({ allianceId }) => {
    if (allianceId === "down")
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    if (allianceId === "bug") throw new TypeError("bug");
    return { allianceId };
  });

  it("reports a transient failure under the one name the workflows retry", async () => {
    await expect(handler({ allianceId: "down" })).rejects.toBeInstanceOf(TransientDependencyError);
    await expect(handler({ allianceId: "down" })).rejects.toMatchObject({ name: "TransientDependencyError" });
  });

  it("lets any other failure through as it is, and refuses a bad event naming the field", async () => {
    await expect(handler({ allianceId: "bug" })).rejects.toBeInstanceOf(TypeError);
    await expect(handler({})).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handler({})).rejects.toThrow(/allianceId/);
    await expect(handler({ allianceId: "ok" })).resolves.toEqual({ allianceId: "ok" });
  });
});
