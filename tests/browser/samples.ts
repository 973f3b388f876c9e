import type { InterestMapsView, RevisionView } from "../../functions/mail/templates";

// What makes an email or a page wide: long names, long unbroken words, many partners, long links.
export const ALLIANCE = "Harbour District Last-Mile Logistics and Shared Warehousing Alliance";
export const PARTNER = "Compagnie Générale de Transports Maritimes et Fluviaux du Grand Ouest";
export const WORD = "Interoperability-of-cross-border-settlement-and-customs-clearance-systems";
export const TYPED = `We can share ${WORD} data weekly, but only under the existing confidentiality terms.`;
export const DEADLINE = "2027-01-15T17:00:00.000Z";
export const CONTACT = "Anne-Sophie Delacroix-Montgomery";

/** Six partners, one with a long name. */
export const PARTNERS = [
  PARTNER,
  "Bolt Couriers",
  "Cargo Co",
  "Dockside Cold Storage Cooperative",
  "Eastern Rail Freight",
  "Fjord Ferries",
].map((name, index) => ({ id: `partner-${index}`, name }));

/** Every partner's interest map: one not shared, one with an empty part, long words. */
export const MAPS: InterestMapsView = {
  partners: PARTNERS.map(({ name }, index) => ({
    name,
    interestMap:
      index === 2
        ? undefined
        : {
            explicit: ["Fill empty trucks on the return leg", WORD],
            implicit: index === 1 ? [] : ["Keep our own brand on the vans", "Independence in pricing"],
            cannotAffordToLose: ["Our two largest shippers"],
          },
  })),
  gaps: [
    { message: `${PARTNER} cannot afford to lose its two largest shippers, which no other partner names.` },
  ],
  sharedGoals: ["Fill empty trucks on the return leg"],
};

/** A revision: every kind of change, with long lines, and comments with and without an answer. */
export const REVISION: RevisionView = {
  version: 3,
  since: 2,
  changes: [
    {
      section: "Exit terms",
      before: `Shared asset "${WORD}" (owned by ${PARTNER}): returns to whoever contributed it.`,
      after: `Shared asset "${WORD}" (owned by ${PARTNER}, Bolt Couriers): is split by voting weight.`,
    },
    { section: "Goals", after: WORD },
    { section: "Contacts", before: `${PARTNER}, lead: ${CONTACT} (anne-sophie@cgtm.example)` },
  ],
  comments: [
    { partnerName: PARTNER, vote: "reject", comment: TYPED, answer: TYPED },
    { partnerName: "Bolt Couriers", vote: "approve", comment: WORD },
  ],
};
