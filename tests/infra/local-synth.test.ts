import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLER_ENTRIES } from "../../infra/concord-stack";
import { projectRoot } from "../../infra/paths";
import {
  functionsFromTemplate,
  type LocalAssembly,
  LocalTemplateError,
  synthesizeForLocal,
} from "../../local/synth";
import { SAMPLE_ENTRIES, sampleWorkflow } from "./fixtures/sample-workflow";
import { TEST_NAMING } from "./helpers";

const PREFIX = "eu-west-1:000000000000";

describe("synthesizeForLocal", () => {
  let assembly: LocalAssembly;
  const fn = (entry: string) => {
    const found = assembly.functions.find((candidate) => candidate.entry === entry);
    if (!found) throw new Error(`no local function for ${entry}`);
    return found;
  };

  beforeAll(async () => {
    assembly = await synthesizeForLocal({ region: "eu-west-1", workflows: [sampleWorkflow] });
  });

  it("describes the single table as an on-demand CreateTable input with the contract's keys and indexes", () => {
    const index = (IndexName: string, pk: string, sk: string) => ({
      IndexName,
      KeySchema: [
        { AttributeName: pk, KeyType: "HASH" },
        { AttributeName: sk, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    });
    expect(assembly.tables).toEqual([
      {
        TableName: expect.any(String),
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        AttributeDefinitions: expect.arrayContaining(
          ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"].map((AttributeName) => ({
            AttributeName,
            AttributeType: "S",
          })),
        ),
        GlobalSecondaryIndexes: [
          index("reviews-due", "gsi1pk", "gsi1sk"),
          index("requests-by-deadline", "gsi2pk", "gsi2sk"),
          index("alliances", "gsi3pk", "gsi3sk"),
        ],
      },
    ]);
  });

  it("names the workflow's state machine concord-<id> with a local ARN in the requested region", () => {
    expect(assembly.stateMachines.map(({ name, arn }) => ({ name, arn }))).toEqual([
      { name: "concord-sample", arn: `arn:aws:states:${PREFIX}:stateMachine:concord-sample` },
    ]);
  });

  it("resolves task resources in the definition to the local ARNs of the task functions", () => {
    const states = assembly.stateMachines[0]?.definition.States as Record<string, { Resource?: string }>;
    expect(states.Greet?.Resource).toBe(fn(SAMPLE_ENTRIES.greet).arn);
    expect(fn(SAMPLE_ENTRIES.greet).arn).toBe(
      `arn:aws:lambda:${PREFIX}:function:${fn(SAMPLE_ENTRIES.greet).name}`,
    );
  });

  it("lists every function with a handler entry that exists on disk", () => {
    expect(assembly.functions.map((f) => f.entry).sort()).toEqual(
      [...Object.values(HANDLER_ENTRIES), ...Object.values(SAMPLE_ENTRIES)].sort(),
    );
    for (const f of assembly.functions) {
      expect(existsSync(join(projectRoot, f.entry)), f.entry).toBe(true);
      expect(f.handler).toBe("handler");
    }
  });

  it("resolves function environments to local names", () => {
    const tableName = assembly.tables[0]?.TableName;
    const machineArn = assembly.stateMachines[0]?.arn;
    expect(fn(HANDLER_ENTRIES.adminHttp).environment).toMatchObject({
      TABLE_NAME: tableName,
      MAIL_FROM: "concord@example.com",
      SAMPLE_STATE_MACHINE_ARN: machineArn,
      APP_URL: expect.stringMatching(/^https:\/\/\w+\.execute-api\.eu-west-1\.amazonaws\.com$/),
    });
  });

  it("synthesizes the registered workflows by default, as `npm start` does", async () => {
    const defaults = await synthesizeForLocal();
    expect(defaults.functions.map((f) => f.entry)).toEqual(
      expect.arrayContaining(Object.values(HANDLER_ENTRIES)),
    );
    for (const f of defaults.functions) expect(existsSync(join(projectRoot, f.entry)), f.entry).toBe(true);
  });

  it("refuses a function the local cloud could not import (no concord:entry metadata)", () => {
    const template = { Resources: { Stray: { Type: "AWS::Lambda::Function", Properties: {} } } };
    expect(() => functionsFromTemplate(template, TEST_NAMING)).toThrow(LocalTemplateError);
    expect(() => functionsFromTemplate(template, TEST_NAMING)).toThrow(/Stray/);
  });
});
