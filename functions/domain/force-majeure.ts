import * as z from "zod";
import { days, expecting, multiLine, singleLine } from "./primitives";

/** The force-majeure clause: events outside anyone's control that suspend obligations. */
export const ForceMajeureSchema = z
  .strictObject(
    {
      clause: multiLine(20, 4000).meta({ description: "The clause's text as the partners agreed it" }),
      suspendsObligationsDays: days(1, 365)
        .optional()
        .meta({ description: "How long obligations stay suspended before the exit terms may be invoked" }),
      escalationRung: singleLine(1, 80).optional().meta({
        description:
          "Name of the escalation rung a force-majeure concern starts at (default: the first rung)",
      }),
    },
    { error: expecting("an object with the clause text") },
  )
  .meta({ title: "Force majeure" });
export type ForceMajeure = z.infer<typeof ForceMajeureSchema>;
