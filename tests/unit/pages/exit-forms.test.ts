import { describe, expect, it } from "vitest";
import {
  assetDivisionForm,
  confirmationForm,
  readAssetDivisionForm,
  readConfirmationForm,
} from "../../../functions/pages";
import { html } from "../../../functions/shared/html";

const post = (fields: Record<string, string>) =>
  new URLSearchParams({ s: "secret", action: "decide", ...fields });
const page = {
  allianceName: "Pilot",
  partnerName: "Acme",
  contactName: "Ada",
  deadline: "2027-03-08T10:00:00Z",
  secret: "secret",
};

describe("a confirmation page (exit notice, wind-down obligation, non-disparagement)", () => {
  it("reads a ticked box and an optional, trimmed comment", () => {
    expect(readConfirmationForm(post({ confirmed: "yes", comment: " Thanks " }), "Tick it.")).toEqual({
      ok: true,
      secret: "secret",
      action: "decide",
      decision: { confirmed: true, comment: "Thanks" },
    });
  });

  it("refuses an unticked box with the kind's own words and re-shows the page with 400", () => {
    const read = readConfirmationForm(
      post({ comment: "x" }),
      "Tick the box to confirm the obligation is done.",
    );
    expect(read.ok ? {} : read.errors).toEqual({
      confirmed: "Tick the box to confirm the obligation is done.",
    });
    const shown = confirmationForm({
      ...page,
      title: "Wind-down obligation",
      lead: html`<p><strong>Acme hands its 50 % share of Portal to Harbor</strong></p>`,
      confirm: "This is done for Acme",
      button: "Confirm it is done",
      errors: { confirmed: "Tick the box to confirm the obligation is done." },
      values: { comment: "x" },
    });
    expect(shown.statusCode).toBe(400);
    expect(shown.html).toContain("Acme hands its 50 % share of Portal to Harbor");
    expect(shown.html).toContain('aria-describedby="confirmed-error"');
    expect(shown.html).toContain(">x</textarea>");
  });
});

describe("the asset-division page", () => {
  it("reads an approval, and a contest with its reason", () => {
    expect(readAssetDivisionForm(post({ answer: "approve" }))).toMatchObject({
      ok: true,
      decision: { approve: true },
    });
    expect(readAssetDivisionForm(post({ answer: "contest", reason: " The dataset is ours " }))).toMatchObject(
      {
        ok: true,
        decision: { approve: false, reason: "The dataset is ours" },
      },
    );
  });

  it("names what is missing: no answer, or a contest without a reason", () => {
    const none = readAssetDivisionForm(post({}));
    expect(none.ok ? {} : none.errors).toEqual({
      answer: "Choose whether you approve the division or contest it.",
    });
    const bare = readAssetDivisionForm(post({ answer: "contest" }));
    expect(bare.ok ? {} : bare.errors).toEqual({
      reason: "Say why you contest the division: the admin decides on it.",
    });
  });

  it("shows the plan and keeps the chosen answer when re-shown", () => {
    const shown = assetDivisionForm({
      ...page,
      leaving: "Clean Corridors",
      division: [{ summary: "Dataset: Acme and Harbor buy Clean Corridors's 33 % share." }],
      errors: { reason: "Say why you contest the division: the admin decides on it." },
      values: { answer: "contest" },
    });
    expect(shown.statusCode).toBe(400);
    expect(shown.html).toContain("The notice period of Clean Corridors's exit has ended");
    expect(shown.html).toContain("Dataset: Acme and Harbor buy Clean Corridors&#39;s 33 % share.");
    expect(shown.html).toContain('value="contest" required checked');
  });

  it("calls a light-touch alliance's rules its one-page agreement, a full one's its charter", () => {
    const input = { ...page, division: [{ summary: "Dataset: returned to Acme." }] };
    expect(assetDivisionForm({ ...input, mode: "light-touch" }).html).toContain(
      "This is how the one-page agreement divides the shared assets",
    );
    expect(assetDivisionForm(input).html).toContain("This is how the charter divides the shared assets");
  });
});
