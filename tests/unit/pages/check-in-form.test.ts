import { describe, expect, it } from "vitest";
import { checkInForm, readCheckInForm } from "../../../functions/pages";

const post = (fields: Record<string, string>) =>
  new URLSearchParams({ s: "secret", action: "decide", ...fields });

describe("the check-in page", () => {
  it("reads a score, a comment and an acknowledgement of another partner", () => {
    const read = readCheckInForm(
      post({
        health: "4",
        comment: " Going well ",
        acknowledgePartner: "harbor-rail",
        acknowledgeNote: "Early data",
      }),
      "northwind-telematics",
    );
    expect(read).toEqual({
      ok: true,
      secret: "secret",
      action: "decide",
      decision: {
        kind: "check-in",
        health: 4,
        comment: "Going well",
        acknowledge: { partnerId: "harbor-rail", note: "Early data" },
      },
    });
  });

  it("names each problem: no score, an acknowledgement of one's own partner, a partner without a note", () => {
    const own = readCheckInForm(post({ acknowledgePartner: "acme", acknowledgeNote: "x" }), "acme");
    expect(own.ok ? {} : own.errors).toMatchObject({
      health: "Choose a score from 1 to 5.",
      acknowledgePartner: "Acknowledge another partner, not your own.",
    });
    const noNote = readCheckInForm(post({ health: "3", acknowledgePartner: "harbor-rail" }), "acme");
    expect(noNote.ok ? {} : noNote.errors).toEqual({
      acknowledgeNote: "Say what the contribution was, in a line.",
    });
  });

  it("re-shows the answer with its errors, with a 400, and offers only the other partners", () => {
    const page = checkInForm({
      allianceName: "Pilot",
      partnerName: "Acme",
      contactName: "Ada",
      deadline: "2026-03-08T10:00:00Z",
      secret: "secret",
      otherPartners: [{ id: "harbor-rail", name: "Harbor & Rail" }],
      errors: { health: "Choose a score from 1 to 5." },
      values: { comment: "<b>hi</b>" },
    });
    expect(page.statusCode).toBe(400);
    expect(page.html).toContain("Choose a score from 1 to 5.");
    expect(page.html).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(page.html).toContain("Harbor &amp; Rail");
  });
});
