import { describe, expect, it } from "vitest";
import { PAGE_HEADERS, withOrganiser } from "../../../functions/pages/layout";
import {
  alreadyDecided,
  cancelled,
  decisionRecorded,
  delegated,
  expired,
  forbidden,
  notFound,
  serverError,
  windowClosed,
} from "../../../functions/pages/results";
import { decisionView } from "../../../functions/requests";
import { HOSTILE } from "../mail/fixtures";

const ALLIANCE = "Harbour Logistics Alliance";
const AT = "2025-12-01T09:30:00Z";
const AT_WORDS = "Monday 1 December 2025, 09:30 UTC";
const vote = decisionView("charter-approval", {
  kind: "charter-approval",
  vote: "reject",
  comment: "Notice period too short",
});

describe("result pages", () => {
  it("decisionRecorded (200) shows what was recorded and when", () => {
    const page = decisionRecorded({
      allianceName: ALLIANCE,
      decision: vote,
      at: AT,
      contactName: "Ada",
    });
    expect(page.statusCode).toBe(200);
    expect(page.html).toContain(AT_WORDS);
    expect(page.html).toContain("Reject");
    expect(page.html).toContain("Notice period too short");
  });

  it("decisionRecorded and alreadyDecided accept a sentence instead of the decision itself", () => {
    const page = alreadyDecided({
      allianceName: ALLIANCE,
      decidedAt: AT,
      decision: "Approved <the> charter",
    });
    expect(page.html).toContain("<p>Approved &lt;the&gt; charter</p>");
    expect(decisionRecorded({ allianceName: ALLIANCE, decision: "Submitted", at: AT }).html).toContain(
      "Your answer was recorded",
    );
  });

  it("decisionRecorded shows a recorded interest map", () => {
    const page = decisionRecorded({
      allianceName: ALLIANCE,
      decision: decisionView("interest-map", {
        kind: "interest-map",
        interestMap: { explicit: ["Fill trucks"], implicit: [], cannotAffordToLose: ["Key accounts"] },
      }),
      at: AT,
    });
    expect(page.html).toContain("<li>Fill trucks</li>");
    expect(page.html).toContain("<li>Key accounts</li>");
  });

  it("alreadyDecided (409) shows the earlier decision and says nothing changed", () => {
    const page = alreadyDecided({
      allianceName: ALLIANCE,
      decision: vote,
      decidedAt: AT,
      decidedBy: "Cy Committee",
    });
    expect(page.statusCode).toBe(409);
    expect(page.html).toContain(`already answered by Cy Committee on ${AT_WORDS}`);
    expect(page.html).toContain("nothing changed");
    expect(page.html).toContain("Notice period too short");
  });

  it("delegated: 200 for the person who handed over, 410 for the old link", () => {
    const now = delegated({
      allianceName: ALLIANCE,
      toName: "Cy Committee",
      at: AT,
      forOriginalHolder: true,
    });
    expect(now.statusCode).toBe(200);
    expect(now.html).toContain("your link is now closed");
    const later = delegated({
      allianceName: ALLIANCE,
      toName: "Cy Committee",
      at: AT,
      forOriginalHolder: false,
    });
    expect(later.statusCode).toBe(410);
    expect(later.html).toContain(`handed to <strong>Cy Committee</strong> on ${AT_WORDS}`);
  });

  it("expired (410) says when the deadline passed", () => {
    const page = expired({ allianceName: ALLIANCE, deadline: AT });
    expect(page.statusCode).toBe(410);
    expect(page.html).toContain(`passed on ${AT_WORDS}`);
  });

  it("windowClosed and cancelled are 410 and name the alliance", () => {
    const closed = windowClosed({ allianceName: ALLIANCE });
    expect(closed.statusCode).toBe(410);
    expect(closed.html).toContain("This window has closed");
    const gone = cancelled({ allianceName: ALLIANCE, reason: "the draft was withdrawn" });
    expect(gone.statusCode).toBe(410);
    expect(gone.html).toContain("cancelled: the draft was withdrawn");
    for (const page of [closed, gone]) expect(page.html).toContain(ALLIANCE);
  });

  it("notFound (404), forbidden (403) and serverError (500) tell the person what to do, and nothing more", () => {
    expect(notFound().statusCode).toBe(404);
    expect(notFound().html).toContain("copied the <strong>whole</strong> link");
    expect(forbidden().statusCode).toBe(403);
    expect(forbidden().html).toContain("use the link exactly as it appears in your email");
    expect(serverError().statusCode).toBe(500);
    for (const page of [notFound(), forbidden(), serverError()]) {
      expect(page.html).not.toContain("Alliance:");
      expect(page.html).not.toMatch(/Error:|at .*\.ts:\d+/);
    }
  });

  it("every result page is script-free, unindexed, and escapes hostile names", () => {
    const pages = [
      decisionRecorded({ allianceName: HOSTILE, decision: vote, at: AT, contactName: HOSTILE }),
      alreadyDecided({ allianceName: HOSTILE, decidedAt: AT, decidedBy: HOSTILE }),
      delegated({ allianceName: HOSTILE, toName: HOSTILE, at: AT, forOriginalHolder: false }),
      expired({ allianceName: HOSTILE, deadline: AT }),
      windowClosed({ allianceName: HOSTILE }),
      cancelled({ allianceName: HOSTILE, reason: HOSTILE }),
      notFound(),
      forbidden(),
    ];
    for (const page of pages) {
      expect(page.html).not.toContain("<script");
      expect(page.html).toContain('<meta name="robots" content="noindex">');
      expect(page.html).toContain('<meta name="viewport"');
    }
    expect(pages[0]?.html).toContain("&lt;script&gt;");
  });
});

describe("PAGE_HEADERS", () => {
  it("serves pages as UTF-8, uncached, without referrer, with scripts forbidden", () => {
    expect(PAGE_HEADERS["content-type"]).toBe("text/html; charset=utf-8");
    expect(PAGE_HEADERS["cache-control"]).toBe("no-store");
    expect(PAGE_HEADERS["referrer-policy"]).toBe("no-referrer");
    expect(PAGE_HEADERS["content-security-policy"]).toContain("default-src 'none'");
    expect(PAGE_HEADERS["content-security-policy"]).not.toContain("script-src");
  });
});

describe("the organiser at the foot of a page", () => {
  it("is named, with an address, on a page of an alliance that has one, and escaped", () => {
    const page = expired({ allianceName: "Harbour", deadline: "2025-12-12T17:00:00Z" });
    const named = withOrganiser(page, {
      name: "Olga <O>",
      organisation: "Harbour Office",
      email: "olga@harbour.example",
    });
    expect(named.html).toContain("organised by <strong>Olga &lt;O&gt;</strong> (Harbour Office)");
    expect(named.html).toContain('href="mailto:olga@harbour.example"');
    expect(named.statusCode).toBe(page.statusCode);
    expect(withOrganiser(page, undefined)).toEqual(page);
  });
});
