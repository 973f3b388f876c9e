import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack, Validations } from "aws-cdk-lib";
import { AttributeType, Table } from "aws-cdk-lib/aws-dynamodb";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, describe, expect, it } from "vitest";
import { cdkJsonContext } from "../../infra/app-context";
import { ConcordStack } from "../../infra/concord-stack";
import { SKIP_BUNDLING_CONTEXT } from "../../local/synth";
import { workflows } from "../../workflows";
import { sampleWorkflow } from "./fixtures/sample-workflow";

type ValidationReport = {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
};

const outdirs: string[] = [];
function outdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "concord-nag-"));
  outdirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe("cdk-nag AwsSolutions", () => {
  it("finds nothing unacknowledged in the stack with every registered workflow plus a sample", () => {
    // Like `cdk synth` (cdk.json flags, CloudFormation validation on) except that bundling is skipped.
    const app = new App({
      context: cdkJsonContext(),
      postCliContext: SKIP_BUNDLING_CONTEXT,
      outdir: outdir(),
    });
    new ConcordStack(app, "Concord", { workflows: [...workflows, sampleWorkflow] });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Any finding, warning or error, makes an in-memory synth throw with the report as its message.
    let directory = "";
    expect(() => {
      directory = app.synth().directory;
    }).not.toThrow();
    const report = JSON.parse(
      readFileSync(join(directory, "validation-report.json"), "utf8"),
    ) as ValidationReport;
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`),
      ),
    );
    expect(findings).toEqual([]);
  });

  it("fails the synth on an unacknowledged finding (the check above can fail)", () => {
    const app = new App({ outdir: outdir(), builtinCloudFormationValidation: false });
    const stack = new Stack(app, "Unchecked");
    new Table(stack, "NoRecovery", { partitionKey: { name: "pk", type: AttributeType.STRING } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });
});
