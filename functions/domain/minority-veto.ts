import * as z from "zod";
import { SizeClassSchema } from "./partner";
import { expecting, noRepeats } from "./primitives";

/** Which partners may veto, and on what: eligible size classes on critical decisions. */
export const MinorityVetoSchema = z
  .strictObject(
    {
      enabled: z.boolean({ error: expecting("true or false") }),
      appliesTo: z
        .literal("critical", { error: 'must be "critical"' })
        .default("critical")
        .meta({ description: "The veto applies to decision classes marked critical" }),
      eligibleSizeClasses: z
        .array(SizeClassSchema, { error: expecting("a list of size classes") })
        .min(1, { error: "must list at least one size class" })
        // There are three size classes; a longer list can only repeat one.
        .max(3, { error: "must list at most 3 size classes (small, medium, large)" })
        .superRefine(noRepeats("the size class"))
        .default(["small"])
        .meta({
          description: 'Size classes whose reject blocks a critical decision, each once (default ["small"])',
          uniqueItems: true,
        }),
    },
    { error: expecting("an object with enabled") },
  )
  .meta({
    title: "Minority veto",
    description: "A small partner's reject blocks approval of a critical decision",
  });
export type MinorityVeto = z.infer<typeof MinorityVetoSchema>;
