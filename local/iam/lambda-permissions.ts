import { type CfnTemplate, type LocalNaming, resolveIntrinsics } from "../cfn";
import { compileWildcards, matchesWildcards, type WildcardSet } from "./wildcards";

/**
 * Whether `principalService` (e.g. "apigateway.amazonaws.com") may invoke the function from `sourceArn`. API Gateway's
 * source ARN names the route, not the request path: `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>`
 * followed by the route's path as declared (`/r/{requestId}`, `/admin/{proxy+}`): the SourceArn of CDK's permissions
 * is that path after wildcards for stage and method. EventBridge's source ARN is the rule's ARN.
 */
export type LambdaInvokeCheck = (
  functionArn: string,
  principalService: string,
  sourceArn?: string,
) => boolean;

/** An AWS::Lambda::Permission the local cloud cannot read or would have to guess about. */
export class LambdaPermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LambdaPermissionError";
  }
}

interface Grant {
  functionArn: string;
  principal: string;
  action: WildcardSet;
  /** The SourceArn pattern split into the six ARN parts ArnLike compares one by one. */
  sourceArn: WildcardSet[] | undefined;
  sourceAccount: string | undefined;
}

/**
 * The functions' resource policies from the template's AWS::Lambda::Permission resources, as one check for a
 * service invoking a function: the permission's Action must cover lambda:InvokeFunction, its Principal name the
 * service (or be `*`), its SourceArn match like the ArnLike condition (each ARN part separately, with `*` and `?`),
 * its SourceAccount be the local account. FunctionName may be a name, a partial or a full ARN.
 */
export function lambdaPermissionAllows(template: CfnTemplate, naming: LocalNaming): LambdaInvokeCheck {
  const grants: Grant[] = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === "AWS::Lambda::Permission")
    .map(([logicalId, resource]) => {
      const where = `lambda permission ${logicalId}`;
      const properties = resolveIntrinsics(resource.Properties ?? {}, template, naming) as Record<
        string,
        unknown
      >;
      for (const unsupported of ["PrincipalOrgID", "EventSourceToken"]) {
        if (properties[unsupported] !== undefined) {
          throw new LambdaPermissionError(`${where}: ${unsupported} is not evaluated by the local cloud`);
        }
      }
      const { Action, FunctionName, Principal, SourceArn, SourceAccount } = properties;
      if (typeof Action !== "string" || typeof FunctionName !== "string" || typeof Principal !== "string") {
        throw new LambdaPermissionError(
          `${where}: Action, FunctionName and Principal must resolve to strings`,
        );
      }
      if (SourceArn !== undefined && (typeof SourceArn !== "string" || arnParts(SourceArn) === undefined)) {
        throw new LambdaPermissionError(`${where}: SourceArn ${JSON.stringify(SourceArn)} is not an ARN`);
      }
      return {
        functionArn: functionArnOf(FunctionName, naming),
        principal: Principal,
        action: compileWildcards([Action], true),
        sourceArn: arnParts(SourceArn as string | undefined)?.map((part) => compileWildcards([part], false)),
        sourceAccount: SourceAccount === undefined ? undefined : String(SourceAccount),
      };
    });

  return (functionArn, principalService, sourceArn) =>
    grants.some(
      (grant) =>
        grant.functionArn === functionArn &&
        (grant.principal === principalService || grant.principal === "*") &&
        matchesWildcards(grant.action, "lambda:invokefunction") &&
        (grant.sourceAccount === undefined || grant.sourceAccount === naming.accountId) &&
        (grant.sourceArn === undefined || arnLike(grant.sourceArn, sourceArn)),
    );
}

function arnLike(pattern: WildcardSet[], value: string | undefined): boolean {
  const parts = arnParts(value);
  return parts !== undefined && pattern.every((part, index) => matchesWildcards(part, parts[index] ?? ""));
}

// arn:partition:service:region:account:resource — the resource part keeps any further colons.
function arnParts(arn: string | undefined): string[] | undefined {
  const parts = arn?.split(":");
  if (!parts || parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

function functionArnOf(functionName: string, naming: LocalNaming): string {
  if (functionName.startsWith("arn:")) return functionName;
  if (/^\d{12}:function:/.test(functionName)) return `arn:aws:lambda:${naming.region}:${functionName}`;
  return `arn:aws:lambda:${naming.region}:${naming.accountId}:function:${functionName}`;
}
