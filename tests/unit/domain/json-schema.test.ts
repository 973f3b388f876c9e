import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { draftJsonSchema, interestMapJsonSchema } from "../../../functions/domain";
import { edited, loadExample, REMOVE } from "./fixtures";

type Schema = Record<string, unknown>;

/**
 * Just enough of JSON Schema 2020-12 to check the published schema says what the parser says:
 * $ref into $defs, oneOf/anyOf, type, const/enum, required, properties, additionalProperties,
 * propertyNames, items, and the size and pattern keywords zod emits.
 */
function violations(schema: Schema, value: unknown, root: Schema = schema, path = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/$defs/", "");
    const target = (root.$defs as Record<string, Schema> | undefined)?.[name];
    if (target === undefined) return [`${path}: unresolved ${schema.$ref}`];
    return violations(target, value, root, path);
  }
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives !== undefined) {
    const matching = alternatives.filter((option) => violations(option, value, root, path).length === 0);
    return matching.length === 0 ? [`${path}: matches none of the alternatives`] : [];
  }
  const problems: string[] = [];
  const type = schema.type as string | undefined;
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  if (type !== undefined) {
    const fits =
      type === "integer"
        ? Number.isInteger(value)
        : type === "number"
          ? typeof value === "number"
          : actual === type;
    if (!fits) return [`${path}: expected ${type}, got ${actual}`];
  }
  if ("const" in schema && schema.const !== value)
    problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: not in enum`);
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength)
      problems.push(`${path}: too short`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
      problems.push(`${path}: too long`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      problems.push(`${path}: does not match ${schema.pattern}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${path}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${path}: above maximum`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      problems.push(`${path}: not above exclusiveMinimum`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      problems.push(`${path}: too few items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      problems.push(`${path}: too many items`);
    const items = schema.items as Schema | undefined;
    if (items !== undefined) {
      value.forEach((item, index) => {
        problems.push(...violations(items, item, root, `${path}[${index}]`));
      });
    }
  }
  if (actual === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in record)) problems.push(`${path}.${key}: required`);
    }
    for (const [key, child] of Object.entries(record)) {
      const childPath = `${path}.${key}`;
      if (schema.propertyNames !== undefined) {
        problems.push(...violations(schema.propertyNames as Schema, key, root, `${childPath} (key)`));
      }
      const declared = properties[key];
      if (declared !== undefined) {
        problems.push(...violations(declared, child, root, childPath));
      } else if (schema.additionalProperties === false) {
        problems.push(`${childPath}: not allowed`);
      } else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) {
        problems.push(...violations(schema.additionalProperties as Schema, child, root, childPath));
      }
    }
  }
  return problems;
}

describe("draftJsonSchema", () => {
  const schema = draftJsonSchema();

  it("is a titled 2020-12 schema describing partners, contacts and the charter", () => {
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "Concord alliance draft",
      required: ["name", "purpose", "expectedDurationMonths", "partners", "goals"],
    });
    const text = JSON.stringify(schema);
    for (const part of [
      "Partner",
      "Contact",
      "Governance charter",
      "Escalation rung",
      "Exit terms",
      "DecisionRule",
    ]) {
      expect(text).toContain(part);
    }
  });

  it.each(["pilot-three-partners.json", "light-touch-pilot.json"])("accepts examples/%s", (file) => {
    expect(violations(schema, loadExample(file))).toEqual([]);
  });

  it.each([
    [{ partners: REMOVE }, "$.partners: required"],
    [{ "partners[0].contacts[0].role": "observer" }, "$.partners[0].contacts[0].role: not in enum"],
    [{ "partners[0].votingWeight": 0 }, "$.partners[0].votingWeight: not above exclusiveMinimum"],
    [{ "partners[1].contacts[0].email": REMOVE }, "$.partners[1].contacts[0].email: required"],
    [
      { "charter.decisionRules.budget.rule": { kind: "weighted-majority" } },
      "$.charter.decisionRules.budget.rule: matches none of the alternatives",
    ],
    [{ "charter.exitTerms.noticeDays": 30 }, "$.charter.exitTerms.noticeDays: not allowed"],
  ])("refuses the pilot edited with %j", (edits, problem) => {
    expect(violations(schema, edited(loadExample("pilot-three-partners.json"), edits))).toContain(problem);
  });

  it("matches the copy published next to the examples (regenerate it when the schema changes)", () => {
    const published = JSON.parse(
      readFileSync(new URL("../../../examples/alliance-draft.schema.json", import.meta.url), "utf8"),
    );

    expect(published).toEqual(schema);
  });
});

describe("interestMapJsonSchema", () => {
  it("accepts each pilot partner's interest map", () => {
    const maps = loadExample("pilot-interest-maps.json") as Record<string, unknown>;

    for (const map of Object.values(maps)) {
      expect(violations(interestMapJsonSchema(), map)).toEqual([]);
    }
    expect(violations(interestMapJsonSchema(), { explicit: [] })).toContain("$.cannotAffordToLose: required");
  });
});
