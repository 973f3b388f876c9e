import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ConcordStack } from "./concord-stack";

// The deployable synth: bundling on, CloudFormation's built-in validation on, cdk-nag on.
const app = new App();
new ConcordStack(app, "Concord", {
  description: "Concord: runs business alliances on Step Functions, Lambda, DynamoDB and SES",
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
