import { describe, expect, it } from "vitest";
import { synthesizeForLocal } from "../../local/synth";
import { workflows } from "../../workflows";
import { sampleWorkflow } from "./fixtures/sample-workflow";
import { aslProblems } from "./helpers";

describe("synthesized state machine definitions", () => {
  it("are valid Amazon States Language, for every registered workflow and the sample", async () => {
    const { stateMachines } = await synthesizeForLocal({ workflows: [...workflows, sampleWorkflow] });
    expect(stateMachines.map((machine) => machine.name)).toEqual(
      [...workflows, sampleWorkflow].map((spec) => `concord-${spec.id}`),
    );
    for (const machine of stateMachines) expect(aslProblems(machine.definition), machine.name).toEqual([]);
  });

  it("are checked by a validator that rejects broken ASL", () => {
    const broken = { StartAt: "Missing", States: { Only: { Type: "Pass", Next: "Nowhere" } } };
    expect(aslProblems(broken).length).toBeGreaterThan(0);
  });
});
