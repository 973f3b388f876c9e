import { describe, expect, it } from "vitest";
import { exitAcknowledgementForm, readExitAcknowledgementForm } from "../../../functions/pages";

const post = (fields: Record<string, string>) =>
  new URLSearchParams({ s: "secret", action: "decide", ...fields });

describe("the exit notice page", () => {
  it("reads a ticked box and an optional comment", () => {
    expect(readExitAcknowledgementForm(post({ acknowledged: "yes", comment: " Thanks " }), false)).toEqual({
      ok: true,
      secret: "secret",
      action: "decide",
      decision: { kind: "exit-acknowledgement", acknowledged: true, comment: "Thanks" },
    });
  });

  it("refuses an unticked box, naming it, and shows the notice's terms", () => {
    const read = readExitAcknowledgementForm(post({}), true);
    expect(read.ok ? {} : read.errors).toEqual({
      acknowledged: "Tick the box to acknowledge the notice.",
      nonDisparagement: "Tick the box to acknowledge the non-disparagement clause.",
    });
    const both = readExitAcknowledgementForm(post({ acknowledged: "yes", nonDisparagement: "yes" }), true);
    expect(both.ok && both.action === "decide" ? both.decision : undefined).toEqual({
      kind: "exit-acknowledgement",
      acknowledged: true,
      nonDisparagement: true,
    });
    const page = exitAcknowledgementForm({
      allianceName: "Pilot",
      partnerName: "Acme",
      contactName: "Ada",
      deadline: "2027-03-08T10:00:00Z",
      secret: "secret",
      noticePeriodDays: 90,
      nonDisparagement: true,
      errors: { acknowledged: "Tick the box to acknowledge the notice." },
    });
    expect(page.statusCode).toBe(400);
    expect(page.html).toContain("The charter's notice period is 90 day(s)");
    expect(page.html).toContain('name="nonDisparagement"');
  });
});
