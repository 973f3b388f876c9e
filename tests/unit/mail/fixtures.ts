import { type AllianceDraft, type AllianceDraftInput, parseDraft } from "../../../functions/domain";

/** A full-mode draft touching every part of the charter summary. */
export const fullDraftInput: AllianceDraftInput = {
  name: "Harbour Logistics Alliance",
  purpose: "Share last-mile delivery capacity across the harbour district.",
  organiser: {
    name: "Olga Organiser",
    email: "olga@harbour.example",
    organisation: "Harbour Programme Office",
  },
  expectedDurationMonths: 24,
  goals: ["Cut empty truck runs by 30%", "One booking portal for shippers"],
  partners: [
    {
      id: "acme",
      name: "Acme Freight",
      sizeClass: "large",
      votingWeight: 3,
      contacts: [
        { name: "Ada Lead", email: "ada@acme.example", role: "lead" },
        { name: "Cy Committee", email: "cy@acme.example", role: "committee" },
        { name: "Sam Sponsor", email: "sam@acme.example", role: "sponsor" },
      ],
    },
    {
      id: "bolt",
      name: "Bolt Couriers",
      sizeClass: "small",
      votingWeight: 1,
      contacts: [
        { name: "Bea Lead", email: "bea@bolt.example", role: "lead" },
        { name: "Bo Sponsor", email: "bo@bolt.example", role: "sponsor" },
      ],
    },
  ],
  charter: {
    decisionRules: {
      strategy: { rule: { kind: "consensus" }, critical: true },
      execution: { rule: { kind: "lead-decides", leadPartnerId: "acme" } },
      budget: { rule: { kind: "weighted-majority", threshold: 0.66 } },
      "go-to-market": { rule: { kind: "consensus" } },
    },
    minorityVeto: { enabled: true },
    escalation: {
      rungs: [
        {
          name: "Operational leads",
          participants: ["lead"],
          deadlineDays: 7,
          decision: { kind: "consensus" },
        },
        {
          name: "Executive sponsors",
          participants: ["sponsor"],
          deadlineDays: 14,
          decision: { kind: "weighted-majority", threshold: 0.75 },
          minorityVeto: true,
        },
      ],
      afterLastRung: "invoke-exit",
    },
    review: { cadence: "quarterly", marketPace: "fast" },
    exitTerms: {
      noticePeriodDays: 90,
      sharedAssets: [
        { name: "Booking portal", owners: ["acme", "bolt"], division: "license-back" },
        { name: "Shipper list", owners: ["bolt"] },
      ],
      divisionRule: "return-to-contributor",
      nonDisparagement: true,
    },
    forceMajeure: {
      clause: "Strikes, floods and port closures suspend delivery obligations.",
      suspendsObligationsDays: 60,
    },
    approval: { rule: { kind: "consensus" }, responseDeadlineDays: 14, reminderDaysBeforeDeadline: 3 },
  },
};

/** Parses a draft input, failing the test loudly if the fixture itself is invalid. */
export function draftOf(input: AllianceDraftInput): AllianceDraft {
  const parsed = parseDraft(input);
  if (!parsed.ok) throw new Error(`fixture draft is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.draft;
}

/** A light-touch draft: three months, two people. */
export const lightDraftInput: AllianceDraftInput = {
  name: "Pop-up Market Trial",
  purpose: "Try a joint pop-up market for one season.",
  organiser: { name: "Omar Organiser", email: "omar@market.example", organisation: "Market Office" },
  expectedDurationMonths: 3,
  goals: ["Test demand for a joint stall"],
  partners: [
    {
      id: "north",
      name: "North Bakery",
      sizeClass: "small",
      votingWeight: 1,
      contacts: [{ name: "Nia", email: "nia@north.example", role: "lead" }],
    },
    {
      id: "south",
      name: "South Dairy",
      sizeClass: "small",
      votingWeight: 1,
      contacts: [{ name: "Sol", email: "sol@south.example", role: "lead" }],
    },
  ],
  charter: {
    decisionRules: { strategy: { rule: { kind: "consensus" } } },
    escalationContact: "nia@north.example",
    exitTerms: { noticePeriodDays: 14 },
  },
};

/** A name a hostile admin might type. */
export const HOSTILE = `<script>alert("x")</script> & "Co" 'Ltd'`;

/** Every absolute http(s) URL in a piece of text (HTML entities decoded for &amp;). */
export function linksIn(content: string): string[] {
  return [...content.matchAll(/https?:\/\/[^\s"<>]+/g)].map((match) => match[0].replaceAll("&amp;", "&"));
}
