import { describe, expect, it } from "vitest";
import { MAX_TRUST_POINTS, parseWith, TrustEntryInputSchema, trustBalances } from "../../../functions/domain";

const entry = (over: Record<string, unknown> = {}) => ({
  partnerId: "harbor-rail",
  direction: "deposit",
  kind: "delivered",
  points: 2,
  note: "Delivered the depot plan on time",
  ...over,
});

describe("trust balances", () => {
  it("adds deposits and subtracts withdrawals per partner, starting every listed partner at 0", () => {
    const balances = trustBalances(
      ["harbor-rail", "clean-corridors", "northwind-telematics"],
      [
        { partnerId: "harbor-rail", direction: "deposit", points: 3 },
        { partnerId: "harbor-rail", direction: "withdrawal", points: 5 },
        { partnerId: "clean-corridors", direction: "deposit", points: 1 },
      ],
    );
    expect(balances).toEqual({ "harbor-rail": -2, "clean-corridors": 1, "northwind-telematics": 0 });
  });

  it("keeps the entries of a partner no longer listed under its id", () => {
    expect(trustBalances([], [{ partnerId: "gone", direction: "deposit", points: 4 }])).toEqual({ gone: 4 });
  });
});

describe("a trust entry as recorded", () => {
  it("takes a deposit of a deposit kind and a withdrawal of a withdrawal kind", () => {
    expect(parseWith(TrustEntryInputSchema, entry()).ok).toBe(true);
    expect(parseWith(TrustEntryInputSchema, entry({ direction: "withdrawal", kind: "surprise" })).ok).toBe(
      true,
    );
  });

  it("refuses a kind of the other direction, naming the kinds the direction records", () => {
    const parsed = parseWith(TrustEntryInputSchema, entry({ direction: "withdrawal", kind: "delivered" }));
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      { path: "kind", message: 'a withdrawal records "missed", "surprise", not "delivered"' },
    ]);
  });

  it.each([
    [{ points: 0 }, "points", "must be at least 1"],
    [{ points: MAX_TRUST_POINTS + 1 }, "points", `must be at most ${MAX_TRUST_POINTS}`],
    [{ points: 1.5 }, "points", "must be a whole number of points"],
    [{ points: "2" }, "points", "must be a whole number of points"],
    [{ note: "  " }, "note", "must not be empty"],
    [{ direction: "loan" }, "direction", 'must be "deposit" or "withdrawal"'],
    [{ partnerId: "Harbor Rail" }, "partnerId", "lower-case"],
    [{ extra: true }, "extra", "is not a known field"],
  ])("refuses %o at %s", (over, path, message) => {
    const parsed = parseWith(TrustEntryInputSchema, entry(over));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.find((e) => e.path === path)?.message ?? "").toContain(message);
  });
});
