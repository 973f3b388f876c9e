import * as z from "zod";
import { days, expecting, multiLine, noRepeats, SlugSchema, singleLine } from "./primitives";

/** How a shared asset is divided when a partner leaves or the alliance dissolves. */
export const DivisionRuleSchema = z
  .enum(["return-to-contributor", "split-by-weight", "buyout", "license-back"], {
    error: expecting('one of "return-to-contributor", "split-by-weight", "buyout", "license-back"'),
  })
  .meta({
    description:
      "return-to-contributor: goes back to whoever brought it; split-by-weight: divided by voting weight; buyout: remaining partners buy the leaver's share; license-back: one keeps it and licenses it to the others",
  });
export type DivisionRule = z.infer<typeof DivisionRuleSchema>;

/** An entry in the shared-asset register. */
export const SharedAssetSchema = z
  .strictObject(
    {
      name: singleLine(1, 120).meta({ description: "Asset name, unique in the register" }),
      description: multiLine(1, 500).optional().meta({ description: "What the asset is (may span lines)" }),
      owners: z
        .array(SlugSchema, { error: expecting("a list of partner ids") })
        .min(1, { error: "must name at least one owning partner" })
        // An owner is a partner, and a draft has at most 50 of them.
        .max(50, { error: "must name at most 50 owners (an alliance has at most 50 partners)" })
        .superRefine(noRepeats("the owner"))
        .meta({ description: "Ids of the partners who own the asset, each once", uniqueItems: true }),
      division: DivisionRuleSchema.optional().meta({
        description: "How this asset divides; when absent the exit terms' divisionRule applies",
      }),
    },
    { error: expecting("an object describing a shared asset") },
  )
  .meta({ title: "Shared asset" });
export type SharedAsset = z.infer<typeof SharedAssetSchema>;

/** The mutual exit plan. Parts may be missing in a draft; the charter audit names them. */
export const ExitTermsSchema = z
  .strictObject(
    {
      noticePeriodDays: days(0, 730)
        .optional()
        .meta({ description: "Days between an exit notice and the exit taking effect" }),
      sharedAssets: z
        .array(SharedAssetSchema, { error: expecting("a list of shared assets") })
        .max(100, { error: "must list at most 100 assets" })
        .default([])
        .superRefine(noRepeats("the asset", { label: (asset) => asset.name, at: ["name"] }))
        .meta({ description: "Register of shared assets and how each divides" }),
      divisionRule: DivisionRuleSchema.optional().meta({
        description: "Default division for assets that do not name their own",
      }),
      windDownDays: days(1, 365).optional().meta({
        description:
          "Days the partners have, once the division is settled, to carry out the wind-down obligations (default 30)",
      }),
      nonDisparagement: z
        .boolean({ error: expecting("true or false") })
        .optional()
        .meta({ description: "Whether leaving partners acknowledge a non-disparagement clause" }),
    },
    { error: expecting("an object describing the exit terms") },
  )
  .meta({ title: "Exit terms" });
export type ExitTerms = z.infer<typeof ExitTermsSchema>;

/** How `asset` divides on exit: its own rule, else the exit terms' default, else undefined (the audit flags it). */
export function assetDivision(asset: SharedAsset, exitTerms: ExitTerms): DivisionRule | undefined {
  return asset.division ?? exitTerms.divisionRule;
}
