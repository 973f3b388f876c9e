import { readFileSync } from "node:fs";
import { type AllianceDraft, parseDraft } from "../../../functions/domain";

/** An example file from examples/, parsed as plain JSON. */
export function loadExample(relativePath: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../examples/${relativePath}`, import.meta.url), "utf8"));
}

/** A parsed example draft; fails the test loudly if the example itself is invalid. */
export function exampleDraft(relativePath: string): AllianceDraft {
  const result = parseDraft(loadExample(relativePath));
  if (!result.ok) throw new Error(`${relativePath} does not parse: ${JSON.stringify(result.errors)}`);
  return result.draft;
}

/** Marks a field to delete in `edited`. */
export const REMOVE = Symbol("remove");

/**
 * A deep copy of `value` with edits applied, each keyed by a path as parseDraft reports it
 * ("partners[1].contacts[0].email"), so a test row reads like the error it expects.
 */
export function edited(value: unknown, edits: Record<string, unknown>): unknown {
  const copy: unknown = structuredClone(value);
  for (const [path, newValue] of Object.entries(edits)) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== "");
    let target = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      target = target[key] as Record<string, unknown>;
    }
    const last = keys.at(-1) as string;
    if (newValue === REMOVE) {
      if (Array.isArray(target)) target.splice(Number(last), 1);
      else delete target[last];
    } else {
      target[last] = newValue;
    }
  }
  return copy;
}
