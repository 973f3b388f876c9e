import { describe, expect, it } from "vitest";
import { DEFAULT_SUSPENSION_DAYS, suspensionAt, suspensionEnd } from "../../../functions/domain";

describe("force-majeure suspensions", () => {
  it("last the clause's period, or 30 days when it names none", () => {
    expect(suspensionEnd("2026-03-01T10:00:00.000Z", { suspendsObligationsDays: 60 })).toBe(
      "2026-04-30T10:00:00.000Z",
    );
    expect(DEFAULT_SUSPENSION_DAYS).toBe(30);
    expect(suspensionEnd("2026-03-01T10:00:00.000Z", {})).toBe("2026-03-31T10:00:00.000Z");
  });

  it("cover a deadline from their start up to, not including, their end", () => {
    const suspensions = [
      { escalationId: "a", from: "2026-03-01T00:00:00.000Z", until: "2026-03-31T00:00:00.000Z" },
      { escalationId: "b", from: "2026-05-01T00:00:00.000Z", until: "2026-05-02T00:00:00.000Z" },
    ];
    expect(suspensionAt(suspensions, "2026-03-01T00:00:00.000Z")?.escalationId).toBe("a");
    expect(suspensionAt(suspensions, "2026-03-30T23:59:59.000Z")?.escalationId).toBe("a");
    expect(suspensionAt(suspensions, "2026-03-31T00:00:00.000Z")).toBeUndefined();
    expect(suspensionAt(suspensions, "2026-02-28T00:00:00.000Z")).toBeUndefined();
    expect(suspensionAt(suspensions, "2026-05-01T12:00:00.000Z")?.escalationId).toBe("b");
  });
});
