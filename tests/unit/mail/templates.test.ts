import { afterAll, describe, expect, it } from "vitest";
import { charterSummary } from "../../../functions/mail/charter-summary";
import { InvalidLinkError } from "../../../functions/mail/layout";
import {
  auditFailed,
  charterApprovalRequest,
  deadlineExtended,
  deadlineMissed,
  delegatedToYou,
  interestMapRequest,
  type RevisionView,
  reminder,
  returnedToDraft,
  welcome,
} from "../../../functions/mail/templates";
import { requestKind } from "../../../functions/requests";
import { setTimeSource } from "../../../functions/shared/time";
import { draftOf, fullDraftInput, HOSTILE, lightDraftInput, linksIn } from "./fixtures";

const NOW = Date.parse("2025-11-28T17:00:00Z");
const DEADLINE = "2025-12-12T17:00:00.000Z";
const DEADLINE_WORDS = "Friday 12 December 2025, 17:00 UTC (in 14 days)";
const LINK = "https://concord.example/r/0f3c9a7e4b1d2c8a9e6f5d4c3b2a1908?s=Zm9vYmFyYmF6cXV4";

// Pinned before the describe blocks run: they render emails while the tests are collected.
setTimeSource(() => NOW);
afterAll(() => setTimeSource(() => Date.now()));

const summary = charterSummary(draftOf(fullDraftInput));

/** Every email that carries a link, rendered for a given alliance name. */
function linkEmails(allianceName: string) {
  return {
    interestMapRequest: interestMapRequest({
      allianceName,
      purpose: "Share delivery capacity.",
      partnerName: "Acme Freight",
      contactName: "Ada Lead",
      link: LINK,
      button: "Share your interests",
      deadline: DEADLINE,
      goals: ["Cut empty runs"],
    }),
    charterApprovalRequest: charterApprovalRequest({
      allianceName,
      partnerName: "Acme Freight",
      contactName: "Ada Lead",
      link: LINK,
      button: "Read the charter and vote",
      deadline: DEADLINE,
      charterSummary: summary,
      mode: "full",
    }),
    reminder: reminder({
      allianceName,
      words: requestKind("charter-approval").words,
      contactName: "Ada",
      link: LINK,
      deadline: DEADLINE,
    }),
    delegatedToYou: delegatedToYou({
      allianceName,
      words: requestKind("interest-map").words,
      fromName: "Ada Lead",
      fromEmail: "ada@acme.example",
      toName: "Cy Committee",
      link: LINK,
      deadline: DEADLINE,
    }),
  };
}

/** Every email without a link. */
function noticeEmails(allianceName: string) {
  return {
    deadlineMissed: deadlineMissed({
      allianceName,
      words: requestKind("charter-approval").words,
      partnerName: "Bolt Couriers",
      consequence: "As the charter says, Bolt Couriers's missing vote counts as an abstention.",
    }),
    returnedToDraft: returnedToDraft({
      allianceName,
      version: 2,
      reason: "Rejected: consensus needs every partner's approval; Bolt Couriers rejected.",
      comments: [{ partnerName: "Bolt Couriers", vote: "reject", comment: "Notice period is too short." }],
    }),
    auditFailed: auditFailed({
      allianceName,
      findings: [{ area: "exit", severity: "missing", message: "No exit notice period." }],
    }),
    welcome: welcome({
      allianceName,
      purpose: "Share delivery capacity.",
      charterSummary: summary,
      nextReviewDate: "2026-02-28T17:00:00Z",
      partners: [{ name: "Acme Freight", interestMap: undefined }],
      gaps: [{ message: "Acme Freight has not shared its interest map yet." }],
    }),
  };
}

describe("emails with a link", () => {
  for (const [name, email] of Object.entries(linkEmails("Harbour Logistics Alliance"))) {
    it(`${name}: carries the absolute link in both the text and the HTML part`, () => {
      expect(linksIn(email.text)).toContain(LINK);
      expect(linksIn(email.html)).toContain(LINK);
    });

    it(`${name}: shows the deadline as a UTC date and as "in N days"`, () => {
      expect(email.text).toContain(DEADLINE_WORDS);
      expect(email.html).toContain(DEADLINE_WORDS);
    });

    it(`${name}: names the alliance in the subject`, () => {
      expect(email.subject).toContain("Harbour Logistics Alliance");
    });
  }

  it("refuses a relative link, which no mail client could open", () => {
    expect(() =>
      reminder({
        allianceName: "A",
        words: requestKind("interest-map").words,
        contactName: "Ada",
        link: "/r/abc",
        deadline: DEADLINE,
      }),
    ).toThrow(InvalidLinkError);
  });
});

describe("every email", () => {
  const all = { ...linkEmails(HOSTILE), ...noticeEmails(HOSTILE) };
  for (const [name, email] of Object.entries(all)) {
    it(`${name}: escapes a hostile alliance name in the HTML part`, () => {
      expect(email.html).not.toContain("<script");
      expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      expect(email.text).toContain(HOSTILE);
    });

    it(`${name}: has no images, scripts or external styles`, () => {
      expect(email.html).not.toMatch(/<img|<script|<link|<iframe|javascript:/i);
    });
  }

  it("keeps subjects on one line when a name carries a line break", () => {
    const email = deadlineMissed({
      allianceName: "Two\nLines",
      words: requestKind("interest-map").words,
      partnerName: "Acme",
      consequence: "Formation goes on without Acme's interest map.",
    });
    expect(email.subject).toBe("Two Lines: the deadline for Acme's interest map has passed");
  });
});

describe("interestMapRequest", () => {
  it("asks for explicit, implicit and cannot-afford-to-lose interests and lists the goals", () => {
    const { text, subject } = linkEmails("Harbour").interestMapRequest;
    expect(subject).toBe("Harbour: share Acme Freight's interests by 12 Dec 2025");
    expect(text).toContain("Explicit interests");
    expect(text).toMatch(/Implicit interests.*autonomy, brand, risks/);
    expect(text).toContain("cannot afford to lose");
    expect(text).toContain("  - Cut empty runs");
  });
});

describe("charterApprovalRequest", () => {
  it("includes the charter summary and explains that a rejection needs a comment", () => {
    const { text, html } = linkEmails("Harbour").charterApprovalRequest;
    expect(text).toContain("execution — the lead partner (Acme Freight) decides");
    expect(html).toContain("execution — the lead partner (Acme Freight) decides");
    expect(text).toContain("If you reject, say why");
  });

  it("calls a light-touch charter a one-page agreement", () => {
    const email = charterApprovalRequest({
      allianceName: "Pop-up",
      partnerName: "North Bakery",
      contactName: "Nia",
      link: LINK,
      button: "Read the charter and vote",
      deadline: DEADLINE,
      charterSummary: charterSummary(draftOf(lightDraftInput)),
      mode: "light-touch",
    });
    expect(email.subject).toBe("Pop-up: approve or reject the one-page agreement by 12 Dec 2025");
    expect(email.text).toContain("light-touch mode");
  });
  it("shows every partner's interest map side by side, and says every contact reads them, before the vote", () => {
    const email = charterApprovalRequest({
      allianceName: "Harbour",
      partnerName: "Acme Freight",
      contactName: "Ada",
      link: LINK,
      button: "Read the charter and vote",
      deadline: DEADLINE,
      charterSummary: summary,
      mode: "full",
      interestMaps: {
        partners: [
          {
            name: "Acme Freight",
            interestMap: { explicit: ["Fill trucks"], implicit: [], cannotAffordToLose: ["Accounts"] },
          },
          {
            name: "Bolt Logistics",
            interestMap: {
              explicit: ["Cut empty miles"],
              implicit: ["Brand"],
              cannotAffordToLose: ["Depot"],
            },
          },
        ],
        gaps: [{ message: "Bolt Logistics cannot afford to lose Depot, which no other partner names." }],
        sharedGoals: [],
      },
    });
    for (const part of [email.text, email.html]) {
      expect(part).toContain("every contact of every partner reads these same interest maps");
      expect(part).toContain("Cut empty miles");
      expect(part).toContain("which no other partner names");
    }
    expect(email.html).toMatch(/<h3[^>]*>Bolt Logistics<\/h3>/);
    expect(email.text.indexOf("INTEREST MAPS")).toBeLessThan(email.text.indexOf("in brief"));
  });
});

describe("a revised charter's approval request", () => {
  const revised = (revision: RevisionView) =>
    charterApprovalRequest({
      allianceName: "Harbour",
      partnerName: "Bolt Couriers",
      contactName: "Bea",
      link: LINK,
      button: "Read the charter and vote",
      deadline: DEADLINE,
      charterSummary: summary,
      mode: "full",
      revision,
    });
  const email = revised({
    version: 2,
    since: 1,
    changes: [
      {
        section: "Exit terms",
        before: "Notice period: 14 days between an exit notice and the exit taking effect.",
        after: "Notice period: 30 days between an exit notice and the exit taking effect.",
      },
      { section: "Goals", after: "Shared cold storage" },
      { section: "Goals", before: "Cut empty runs" },
    ],
    comments: [
      {
        partnerName: "Acme Freight",
        vote: "reject",
        comment: "Notice period too short",
        answer: "Now 30 days.",
      },
      { partnerName: "Bolt Couriers", vote: "approve", comment: "Fine, but add cold storage" },
    ],
  });

  it("says version 2 in the subject and the opening, revised after version 1 was not approved", () => {
    expect(email.subject).toBe("Harbour: approve or reject the revised charter (version 2) by 12 Dec 2025");
    for (const part of [email.text, email.html]) {
      expect(part).toContain("the charter (version 2) of the alliance");
      expect(part).toContain("This is version 2, revised after version 1 was not approved");
    }
  });

  it("lists what changed since version 1: before and after, added, removed", () => {
    expect(email.text).toContain("WHAT CHANGED SINCE VERSION 1");
    expect(email.text).toContain(
      "  - Exit terms, changed:\n    was: Notice period: 14 days between an exit notice and the exit taking effect.\n    now: Notice period: 30 days",
    );
    expect(email.text).toContain("Goals, added: Shared cold storage");
    expect(email.text).toContain("Goals, removed: Cut empty runs");
    expect(email.html).toContain("<s>Notice period: 14 days");
    expect(email.text.indexOf("WHAT CHANGED")).toBeLessThan(email.text.indexOf("in brief"));
  });

  it("answers every comment on version 1, and says so where none was given", () => {
    expect(email.text).toContain("HOW THE COMMENTS ON VERSION 1 WERE ANSWERED");
    expect(email.text).toContain(
      "Acme Freight (rejected): Notice period too short\n    Answer: Now 30 days.",
    );
    expect(email.text).toContain(
      "Bolt Couriers (approved): Fine, but add cold storage\n    Answer: (no answer given)",
    );
    expect(email.html).toContain("<em>no answer given</em>");
  });

  it("says plainly when nothing in the charter changed", () => {
    const unchanged = revised({ version: 3, since: 2, changes: [], comments: [] });
    expect(unchanged.text).toContain("Nothing in the charter changed since version 2.");
    expect(unchanged.text).toContain("No partner left a comment on version 2.");
  });
});

describe("deadlineExtended", () => {
  it("says the new deadline and the one it replaces, why, and that earlier links still work", () => {
    const email = deadlineExtended({
      allianceName: "Harbour",
      words: requestKind("charter-approval").words,
      contactName: "Bea",
      partnerName: "Bolt Couriers",
      link: LINK,
      deadline: DEADLINE,
      was: "2025-12-05T17:00:00.000Z",
      reason: "Bea is travelling",
    });
    expect(email.subject).toBe("Harbour: more time to approve or reject the charter, now by 12 Dec 2025");
    expect(email.text).toContain(
      `has moved later. It is now ${DEADLINE_WORDS}; it was Friday 5 December 2025, 17:00 UTC.`,
    );
    expect(email.text).toContain("Why: Bea is travelling");
    expect(email.text).toContain("the earlier links keep working until the new deadline");
    expect(linksIn(email.text)).toContain(LINK);
  });
});

describe("delegatedToYou", () => {
  it("says who handed the request over", () => {
    const { text, subject } = linkEmails("Harbour").delegatedToYou;
    expect(subject).toContain("Ada Lead handed you a request");
    expect(text).toContain("Ada Lead (ada@acme.example)");
    expect(text).toMatch(/^Hello Cy Committee,/);
  });
});

describe("deadlineMissed", () => {
  it("tells the organiser, who held no link, that the partner's link closed, not that nothing is needed of them", () => {
    const words = requestKind("interest-map").words;
    const email = (to: "asked" | "organiser") =>
      deadlineMissed({
        allianceName: "Harbour",
        words,
        partnerName: "Bolt",
        consequence: "It counts as not provided.",
        to,
      });
    expect(email("organiser").text).toContain(
      "You receive this as the alliance's organiser: Bolt's link is now closed",
    );
    expect(email("organiser").text).not.toContain("Nothing else is needed from you");
    expect(email("asked").text).toContain(
      "The link sent earlier is now closed. Nothing else is needed from you.",
    );
  });

  it("says how the missing answer counts, in the kind's words under the charter", () => {
    const silence = (
      kind: "charter-approval" | "interest-map",
      onMissedDeadline: "abstain" | "reject" | "remind-then-abstain",
    ) => {
      const base = draftOf(fullDraftInput);
      const draft = {
        ...base,
        charter: { ...base.charter, approval: { ...base.charter.approval, onMissedDeadline } },
      };
      const spec = requestKind(kind);
      return deadlineMissed({
        allianceName: "Harbour",
        partnerName: "Bolt Couriers",
        words: spec.words,
        consequence: spec.silence(draft, "Bolt Couriers").consequence,
      }).text;
    };
    expect(silence("charter-approval", "abstain")).toContain("counts as an abstention");
    expect(silence("charter-approval", "remind-then-abstain")).toContain("counts as an abstention");
    expect(silence("charter-approval", "reject")).toContain("counts as a rejection");
    expect(silence("interest-map", "reject")).toContain("without Bolt Couriers's interest map");
    expect(silence("interest-map", "reject")).toContain(
      "The deadline for Bolt Couriers to share its interests",
    );
  });
});

describe("returnedToDraft", () => {
  it("gives every partner's vote and comment and says the admin will resubmit", () => {
    const { text, html, subject } = noticeEmails("Harbour").returnedToDraft;
    expect(subject).toBe("Harbour: the charter (version 2) was not approved");
    expect(text).toContain("Bolt Couriers (rejected): Notice period is too short.");
    expect(html).toContain("Notice period is too short.");
    expect(text).toContain("The admin will revise the draft");
  });
});

describe("auditFailed", () => {
  it("lists what is missing, separately from warnings", () => {
    const email = auditFailed({
      allianceName: "Harbour",
      findings: [
        { area: "exit", severity: "missing", message: "No exit notice period." },
        { area: "conflict-resolution", severity: "missing", message: "No escalation ladder." },
        { area: "review", severity: "warning", message: "No review cadence." },
      ],
    });
    expect(email.subject).toContain("missing 2 parts");
    expect(email.text).toMatch(
      /Missing:\n {2}- Exit: No exit notice period\.\n {2}- Conflict resolution: No escalation/,
    );
    expect(email.text).toMatch(/Worth a look as well:\n {2}- Reviews: No review cadence\./);
  });
});

describe("welcome", () => {
  const email = welcome({
    allianceName: "Harbour",
    purpose: "Share delivery capacity.",
    charterSummary: summary,
    nextReviewDate: "2026-02-28T17:00:00Z",
    partners: [
      {
        name: "Acme Freight",
        interestMap: {
          explicit: ["Fill empty trucks"],
          implicit: ["Keep our brand"],
          cannotAffordToLose: ["Key accounts"],
        },
      },
      {
        name: "Bolt Couriers",
        interestMap: { explicit: ["New shippers"], implicit: [], cannotAffordToLose: ["Independence"] },
      },
      { name: "Cargo Co", interestMap: undefined },
    ],
    gaps: [
      {
        message:
          'Bolt Couriers cannot afford to lose "Independence", but no other partner names it as a goal.',
      },
      { message: "Cargo Co has not shared its interest map yet." },
    ],
    sharedGoals: ["Fill empty trucks"],
  });

  it("puts the interest maps side by side: one card per partner, in order, each with the three parts", () => {
    const cards = [...email.html.matchAll(/<h3[^>]*>([^<]*)<\/h3>([\s\S]*?)<\/div>\n<\/div>/g)];
    expect(cards.map((match) => match[1])).toEqual(["Acme Freight", "Bolt Couriers", "Cargo Co"]);
    for (const [, , card] of cards.slice(0, 2)) {
      expect(card).toContain("Explicit interests (stated goals)");
      expect(card).toContain("Implicit interests (autonomy, brand, risks)");
      expect(card).toContain("Cannot afford to lose");
    }
    expect(cards[1]?.[2]).toContain("none listed");
    expect(cards[2]?.[2]).toContain("Interest map not shared.");
  });

  it("gives a section per partner in the text part", () => {
    expect(email.text).toMatch(
      /Acme Freight\n {2}Explicit interests \(stated goals\):\n {4}- Fill empty trucks/,
    );
    expect(email.text).toMatch(/Bolt Couriers\n[\s\S]*Implicit interests[^\n]*:\n {4}\(none listed\)/);
    expect(email.text).toContain("Cargo Co\n  (interest map not shared)");
  });

  it("names the alignment gaps, the first review date and the charter", () => {
    for (const part of [email.text, email.html]) {
      expect(part).toContain("Independence");
      expect(part).toContain("Cargo Co has not shared its interest map yet.");
      expect(part).toContain("Saturday 28 February 2026 (in 92 days)");
      expect(part).toContain("budget — weighted majority, 66% of voting weight");
    }
    expect(email.subject).toBe("Harbour is active: interest maps, charter and first review on 28 Feb 2026");
  });
});

describe("welcome with the comments of the approval", () => {
  it("passes on what the partners wrote with their votes, as the approval page promised", () => {
    const email = welcome({
      allianceName: "Harbour",
      purpose: "Share delivery capacity.",
      charterSummary: summary,
      nextReviewDate: "2026-02-28T17:00:00Z",
      partners: [{ name: "Acme Freight", interestMap: undefined }],
      gaps: [],
      comments: [{ partnerName: "Acme Freight", vote: "approve", comment: "Keep the data pseudonymous" }],
    });
    for (const part of [email.text, email.html]) {
      expect(part).toContain("What the partners said");
      expect(part).toContain("Keep the data pseudonymous");
    }
  });
});

describe("light-touch wording after the vote", () => {
  it("calls the light-touch charter a one-page agreement in the welcome and the rejection notice", () => {
    const active = welcome({
      allianceName: "Pop-up",
      purpose: "A season's market.",
      charterSummary: summary,
      nextReviewDate: "2026-02-28T17:00:00Z",
      partners: [],
      gaps: [],
      mode: "light-touch",
    });
    expect(active.subject).toContain("interest maps, one-page agreement and first review");
    expect(active.text).toContain("its one-page agreement was approved");
    expect(active.text).toContain("THE ONE-PAGE AGREEMENT IN BRIEF");
    expect(active.html).toContain("The one-page agreement in brief");
    const rejected = returnedToDraft({
      allianceName: "Pop-up",
      version: 1,
      reason: "No.",
      comments: [],
      mode: "light-touch",
    });
    expect(rejected.subject).toBe("Pop-up: the one-page agreement (version 1) was not approved");
  });
});
