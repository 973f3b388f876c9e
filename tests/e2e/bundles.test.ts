import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudPlan, planCloud, type RunningCloud, removePlan, startCloud } from "./harness";
import { formThreePartnerPilot } from "./pilot";

// The deployable bundles, not the TypeScript sources: the local cloud bundles every function as `cdk deploy` would
// and runs each bundle from a folder outside the repository, so a package the bundle expects the Lambda runtime to
// provide would fail here as it would in AWS.

describe("formation on the deployable bundles", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;

  beforeAll(async () => {
    plan = await planCloud({ CONCORD_LAMBDA_CODE: "bundles" });
    cloud = await startCloud(plan, 180_000);
  }, 240_000);
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("runs the bundles cdk deploy would upload", () => {
    expect(cloud.output()).toMatch(/functions run the deployable bundles/);
  });

  it("forms the composite three-partner pilot with every function running its bundle", async () => {
    await formThreePartnerPilot(cloud);
  });
});
