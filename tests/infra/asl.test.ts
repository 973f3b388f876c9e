import { describe, expect, it } from "vitest";
import { DEADLINE_EXTENDED_ERROR } from "../../functions/requests/payloads";
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

  it("retry transient dependency failures with backoff in every task, callback tasks included", async () => {
    const { stateMachines } = await synthesizeForLocal({ workflows });
    const tasks: [string, string, TaskState][] = [];
    for (const machine of stateMachines) {
      for (const [name, state] of allStates(machine.definition as unknown as StateMachine)) {
        if (state.Type === "Task") tasks.push([machine.name, name, state]);
      }
    }
    expect(tasks.length).toBeGreaterThan(0);
    for (const [machine, name, task] of tasks) {
      const retrier = (task.Retry ?? []).find((r) => r.ErrorEquals.includes("TransientDependencyError"));
      expect(retrier, `${machine}: ${name}`).toBeDefined();
      expect(retrier?.BackoffRate, `${machine}: ${name}`).toBeGreaterThan(1);
      expect(retrier?.MaxAttempts, `${machine}: ${name}`).toBeGreaterThanOrEqual(5);
    }
  });

  it("ask again, with every field of the item and the new deadline, when an admin extends a round", async () => {
    const { stateMachines } = await synthesizeForLocal({ workflows });
    const rounds: [string, string, TaskState][] = [];
    for (const machine of stateMachines) {
      for (const [name, state] of allStates(machine.definition as unknown as StateMachine)) {
        // An "ask and wait" round: a Map whose items start with a task that waits for a person (a task token).
        const processor = state.ItemProcessor as (StateMachine & { StartAt: string }) | undefined;
        const first = processor?.States[processor.StartAt];
        if (state.Type === "Map" && first?.Resource?.endsWith(".waitForTaskToken"))
          rounds.push([machine.name, name, state]);
      }
    }
    expect(rounds.length).toBeGreaterThanOrEqual(5);
    for (const [machine, name, map] of rounds) {
      const processor = map.ItemProcessor as StateMachine & { StartAt: string };
      const ask = processor.States[processor.StartAt];
      const catcher = ask?.Catch?.find((c) => c.ErrorEquals.includes(DEADLINE_EXTENDED_ERROR));
      expect(catcher, `${machine}: ${name}`).toBeDefined();
      const pass = processor.States[catcher?.Next ?? ""];
      expect(pass?.Type, `${machine}: ${name}`).toBe("Pass");
      expect(pass?.Next, `${machine}: ${name}`).toBe(processor.StartAt);
      expect(Object.keys(pass?.Parameters ?? {}).sort(), `${machine}: ${name}`).toEqual(
        Object.keys(map.ItemSelector ?? {}).sort(),
      );
      expect(pass?.Parameters?.["deadlineSeconds.$"]).toBe(
        `States.StringToJson(${catcher?.ResultPath}.Cause)`,
      );
    }
  });

  it("are checked by a validator that rejects broken ASL", () => {
    const broken = { StartAt: "Missing", States: { Only: { Type: "Pass", Next: "Nowhere" } } };
    expect(aslProblems(broken).length).toBeGreaterThan(0);
  });
});

interface TaskState {
  Type: string;
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Next?: string;
  Resource?: string;
  Parameters?: Record<string, string>;
  ItemSelector?: Record<string, string>;
  ItemProcessor?: StateMachine;
  Iterator?: StateMachine;
  Branches?: StateMachine[];
}
interface StateMachine {
  States: Record<string, TaskState>;
}

/** Every state of a definition, nested Map and Parallel states included. */
function allStates(definition: StateMachine): [string, TaskState][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, TaskState][] => [
    [name, state],
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]
      .filter((inner): inner is StateMachine => inner !== undefined)
      .flatMap(allStates),
  ]);
}
