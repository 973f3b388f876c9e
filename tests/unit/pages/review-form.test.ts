import { describe, expect, it } from "vitest";
import { readReviewForm, reviewForm } from "../../../functions/pages";

const base = { s: "secret", action: "decide", goalCount: "2" };

describe("the realignment review page", () => {
  it("reads a complete answer into a decision", () => {
    const read = readReviewForm(
      new URLSearchParams({
        ...base,
        strategicFit: "5",
        goal0: "keep",
        goal1: "change",
        goal1Wording: "Share routing data weekly",
        stronger: "  A shared data room ",
        stance: "continue",
        cadence: "annual",
        acknowledgePartner: "harbor-rail",
        acknowledgeNote: "Delivered the depot plan on time",
      }),
      "acme",
    );
    expect(read).toEqual({
      ok: true,
      secret: "secret",
      action: "decide",
      decision: {
        kind: "review",
        strategicFit: 5,
        goals: [{ action: "keep" }, { action: "change", wording: "Share routing data weekly" }],
        stronger: "A shared data room",
        stance: "continue",
        cadence: "annual",
        acknowledge: { partnerId: "harbor-rail", note: "Delivered the depot plan on time" },
      },
    });
  });

  it("names each missing answer, and re-renders the page with them at 400", () => {
    const read = readReviewForm(
      new URLSearchParams({ ...base, goal1: "change", acknowledgePartner: "acme", acknowledgeNote: "Us" }),
      "acme",
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors).toMatchObject({
      strategicFit: "Choose a score from 1 to 5.",
      stance: "Choose continue or leave.",
      goal0: "Choose keep, change or drop for this goal.",
      goal1Wording: expect.stringContaining("is required to change a goal"),
      acknowledgePartner: "Acknowledge another partner, not your own.",
    });
    const page = reviewForm({
      allianceName: "Pilot",
      partnerName: "Acme",
      contactName: "Ada",
      deadline: "2027-01-15T09:00:00Z",
      secret: "secret",
      goals: ["Cut emissions", "Share routing data"],
      otherPartners: [{ id: "harbor-rail", name: "Harbor & Rail" }],
      cadence: "quarterly",
      errors: read.errors,
      values: read.values,
    });
    expect(page.statusCode).toBe(400);
    expect(page.html).toContain("Choose a score from 1 to 5.");
    expect(page.html).toContain("Cut emissions");
    expect(page.html).toContain("Acknowledge another partner, not your own.");
    expect(page.html).toContain("As now (quarterly)");
    expect(page.html).not.toContain('value="quarterly"');
  });

  it("refuses a cadence that is not one of the three", () => {
    const read = readReviewForm(
      new URLSearchParams({
        ...base,
        strategicFit: "3",
        goal0: "keep",
        goal1: "keep",
        stance: "continue",
        cadence: "weekly",
      }),
      "acme",
    );
    expect(read.ok ? undefined : read.errors.cadence).toBe("Choose how often to review from the list.");
  });

  it("refuses a form whose goal count was tampered with", () => {
    const read = readReviewForm(new URLSearchParams({ ...base, goalCount: "1000" }), "acme");
    expect(read.ok ? undefined : read.errors.form).toMatch(/not recognised/);
  });
});
