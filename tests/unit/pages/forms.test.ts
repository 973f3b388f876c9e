import { afterAll, describe, expect, it } from "vitest";
import { charterSummary } from "../../../functions/mail/charter-summary";
import { charterApprovalForm, delegateCandidates, interestMapForm } from "../../../functions/pages/forms";
import { setTimeSource } from "../../../functions/shared/time";
import { draftOf, fullDraftInput, HOSTILE } from "../mail/fixtures";
import { formsIn, hiddenValue } from "./helpers";

const NOW = Date.parse("2025-11-28T17:00:00Z");
setTimeSource(() => NOW);
afterAll(() => setTimeSource(() => Date.now()));

const draft = draftOf(fullDraftInput);
const colleagues = delegateCandidates(draft.partners, "acme", "ada@acme.example");
const base = {
  allianceName: "Harbour Logistics Alliance",
  partnerName: "Acme Freight",
  contactName: "Ada Lead",
  deadline: "2025-12-12T17:00:00Z",
  secret: "c2VjcmV0LXNlY3JldA",
};

const interestPage = () => interestMapForm({ ...base, goals: draft.goals, colleagues });
const charterPage = () => charterApprovalForm({ ...base, charterSummary: charterSummary(draft), colleagues });

describe("partner decision pages", () => {
  for (const [name, render] of Object.entries({ interestPage, charterPage })) {
    it(`${name}: is a complete, script-free, unindexed UTF-8 document`, () => {
      const { statusCode, html } = render();
      expect(statusCode).toBe(200);
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('<meta name="viewport"');
      expect(html).toContain('<meta name="robots" content="noindex">');
      expect(html).not.toMatch(/<script|javascript:|\bon[a-z]+="/i);
    });

    it(`${name}: every form posts to the same URL, carries the secret and says what it does`, () => {
      const forms = formsIn(render().html);
      expect(forms).toHaveLength(2);
      for (const form of forms) {
        expect(form).toMatch(/^<form method="post" action=""/);
        expect(form).toContain('enctype="application/x-www-form-urlencoded"');
        expect(hiddenValue(form, "s")).toBe(base.secret);
      }
      expect(forms.map((form) => hiddenValue(form, "action"))).toEqual(["decide", "delegate"]);
    });

    it(`${name}: shows the deadline in UTC and in days`, () => {
      expect(render().html).toContain("Friday 12 December 2025, 17:00 UTC (in 14 days)");
    });
  }

  it("charter page: approve and reject are radio choices in ONE form with one submit button", () => {
    const forms = formsIn(charterPage().html);
    const voteForms = forms.filter((form) => form.includes('name="vote"'));
    expect(voteForms).toHaveLength(1);
    const [form = ""] = voteForms;
    expect(form).toContain('<input type="radio" name="vote" value="approve" required>');
    expect(form).toContain('<input type="radio" name="vote" value="reject">');
    expect(form.match(/<button/g)).toHaveLength(1);
    expect(form).toMatch(/<textarea id="comment" name="comment"/);
    expect(form).toContain("Required if you reject");
  });

  it("charter page: shows the charter summary", () => {
    expect(charterPage().html).toContain("execution — the lead partner (Acme Freight) decides");
  });

  it("interest page: has the three labelled textareas, one item per line", () => {
    const { html } = interestPage();
    for (const field of ["explicit", "implicit", "cannotAffordToLose"]) {
      expect(html).toMatch(new RegExp(`<label for="${field}">`));
      expect(html).toMatch(new RegExp(`<textarea id="${field}" name="${field}"`));
    }
    expect(html).toContain("autonomy, brand, risks to avoid");
    expect(html).toContain("one item per line");
  });

  it("re-renders with the person's input and the errors next to the fields (400)", () => {
    const page = interestMapForm({
      ...base,
      goals: [],
      values: { explicit: "", implicit: "Keep <our> brand", cannotAffordToLose: "" },
      errors: { explicit: "Write at least one stated goal, one per line." },
    });
    expect(page.statusCode).toBe(400);
    expect(page.html).toMatch(
      /<textarea id="explicit"[^>]*aria-describedby="explicit-error"[^>]*><\/textarea>\s*<p class="error" id="explicit-error">Write at least one stated goal/,
    );
    expect(page.html).toContain(">Keep &lt;our&gt; brand</textarea>");

    const vote = charterApprovalForm({
      ...base,
      charterSummary: charterSummary(draft),
      values: { vote: "reject", comment: "" },
      errors: { comment: "Say why you reject." },
    });
    expect(vote.statusCode).toBe(400);
    expect(vote.html).toContain('value="reject" checked>');
    expect(vote.html).toContain('<p class="error" id="comment-error">Say why you reject.</p>');
  });

  it("accepts the domain's FieldError list and puts each message next to its field", () => {
    const page = interestMapForm({
      ...base,
      goals: [],
      errors: [
        { path: "explicit[1]", message: "must be at most 200 characters" },
        { path: "cannotAffordToLose", message: "must list at least one item" },
        { path: "", message: "something about the whole form" },
      ],
    });
    expect(page.statusCode).toBe(400);
    expect(page.html).toContain(
      '<p class="error" id="explicit-error">Item 2 must be at most 200 characters.</p>',
    );
    expect(page.html).toContain(
      '<p class="error" id="cannotAffordToLose-error">Must list at least one item.</p>',
    );
    expect(page.html).toContain("<li>Something about the whole form.</li>");
  });

  it("escapes hostile names and values everywhere on the page", () => {
    const page = charterApprovalForm({
      ...base,
      allianceName: HOSTILE,
      partnerName: HOSTILE,
      contactName: HOSTILE,
      secret: `"><script>x</script>`,
      charterSummary: charterSummary(draft),
      values: { comment: "</textarea><script>x</script>" },
    });
    expect(page.html).not.toContain("<script");
    expect(page.html).toContain("&lt;script&gt;");
  });
});

describe("hand this to a colleague", () => {
  it("offers only the same partner's other contacts", () => {
    expect(colleagues).toEqual([
      { name: "Cy Committee", email: "cy@acme.example", role: "committee" },
      { name: "Sam Sponsor", email: "sam@acme.example", role: "sponsor" },
    ]);
    expect(delegateCandidates(draft.partners, "bolt", "BEA@bolt.example")).toEqual([
      { name: "Bo Sponsor", email: "bo@bolt.example", role: "sponsor" },
    ]);
  });

  it("lists the colleagues with name and role in the select", () => {
    const [, delegate = ""] = formsIn(interestPage().html);
    const options = [...delegate.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(options).toEqual([
      ["", "Choose a colleague…"],
      ["cy@acme.example", "Cy Committee (steering committee)"],
      ["sam@acme.example", "Sam Sponsor (executive sponsor)"],
    ]);
    expect(delegate).toContain('<select id="delegateTo" name="delegateTo" required');
  });

  it("is not shown when the partner has no one else", () => {
    const page = interestMapForm({ ...base, goals: [], colleagues: [] });
    expect(formsIn(page.html)).toHaveLength(1);
    expect(page.html).not.toContain("delegateTo");
  });
});
