import { type CfnTemplate, type LocalNaming, resolveIntrinsics, stateMachinesFromTemplate } from "../cfn";
import type { Gate, GateAnswer, GatedRequest } from "../gate-proxy";
import type { LocalFunctionSpec } from "../synth";
import { type ApiCall, type ApiRequest, dynamoDbCall, stepFunctionsCall } from "./calls";
import {
  dynamoDbAccessDenied,
  type ServiceErrorResponse,
  sesAccessDeniedMessage,
  sesNotVerifiedMessage,
  sesV1AccessDenied,
  sesV1MessageRejected,
  sesV2AccessDenied,
  sesV2MessageRejected,
  stepFunctionsAccessDenied,
} from "./errors";
import { type LambdaInvokeCheck, lambdaPermissionAllows } from "./lambda-permissions";
import {
  accessDeniedMessage,
  assumedRoleArn,
  type Decision,
  firstDenied,
  type RolePolicies,
  rolesFromTemplate,
} from "./policies";
import { accessKeyIdOf } from "./principal";
import { type SesIdentity, sesCall, sesIdentitiesFromTemplate } from "./ses-calls";

/** What the enforcement needs from the rest of the local cloud. */
export interface IamEnforcementOptions {
  template: CfnTemplate;
  naming: LocalNaming;
  /** The function whose containers sign with an access key id (the Lambda host gives each function its own). */
  functionOfAccessKey: (accessKeyId: string) => LocalFunctionSpec | undefined;
  /** Where denials are reported, one line each. */
  log: (line: string) => void;
  /** Counts checks and denials. */
  onChecked?: () => void;
  onDenied?: (what: string) => void;
}

/** Step Functions' answer when its role may not invoke a task's function (the task fails with this error). */
export class LambdaInvokeDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Lambda.AWSLambdaException";
  }
}

/**
 * IAM as the synthesized stack configures it, enforced on the local cloud: every call a function makes to DynamoDB,
 * SES or Step Functions is checked against its role's policies (gates in front of each service), Step Functions'
 * role against the functions it invokes, and the functions' resource policies against API Gateway and
 * EventBridge. A caller signing with keys that are not a function's (the CLI, the AWS CLI, tests) is the
 * developer, allowed everything, as an administrator's own credentials would be.
 */
export class IamEnforcement {
  private readonly roles: Map<string, RolePolicies>;
  private readonly identities: SesIdentity[];
  private readonly stateMachineRoles: Map<string, string>;
  private readonly invokePermission: LambdaInvokeCheck;

  constructor(private readonly options: IamEnforcementOptions) {
    const { template, naming } = options;
    this.roles = rolesFromTemplate(template, naming);
    this.identities = sesIdentitiesFromTemplate(template, naming);
    this.invokePermission = lambdaPermissionAllows(template, naming);
    this.stateMachineRoles = new Map(
      stateMachinesFromTemplate(template, naming).map((machine) => [
        machine.arn,
        String(
          resolveIntrinsics(template.Resources[machine.logicalId]?.Properties?.RoleArn, template, naming),
        ),
      ]),
    );
  }

  /** The gate in front of DynamoDB. */
  readonly dynamodb: Gate = (request) =>
    this.check(request, (api) => dynamoDbCall(api, this.options.naming), dynamoDbAccessDenied);

  /** The gate in front of Step Functions' API. */
  readonly stepFunctions: Gate = (request) =>
    this.check(request, (api) => stepFunctionsCall(api), stepFunctionsAccessDenied);

  /** The gate in front of SES (the inbox page and its store pass; sends are checked, then their sender verified). */
  readonly ses: Gate = (request) => {
    const api = apiRequest(request);
    const call = sesCall(api, this.identities, this.options.naming);
    if (!call) return undefined;
    const denied = this.check(
      request,
      () => call,
      call.api === 1 ? sesV1AccessDenied : sesV2AccessDenied,
      sesAccessDeniedMessage,
    );
    if (denied) return denied;
    if (call.unverified.length === 0) return undefined;
    const message = sesNotVerifiedMessage(this.options.naming.region, call.unverified);
    this.options.log(`[ses] rejected ${call.operation}: ${message}`);
    return call.api === 1 ? sesV1MessageRejected(message) : sesV2MessageRejected(message);
  };

  /** Whether a service (API Gateway, EventBridge) may invoke a function from `sourceArn` (its resource policy). */
  mayInvoke(functionArn: string, principalService: string, sourceArn: string): boolean {
    const allowed = this.invokePermission(functionArn, principalService, sourceArn);
    if (!allowed) {
      this.options.log(
        `[iam] denied ${principalService} lambda:InvokeFunction on ${functionArn} from ${sourceArn}`,
      );
      this.options.onDenied?.(`lambda:InvokeFunction by ${principalService}`);
    }
    return allowed;
  }

  /** Throws what Step Functions reports when the state machine's role may not invoke `functionArn`. */
  assertStateMachineMayInvoke(stateMachineArn: string, functionArn: string): void {
    const roleArn = this.stateMachineRoles.get(stateMachineArn);
    const role = roleArn ? this.roles.get(roleArn) : undefined;
    this.options.onChecked?.();
    const decision: Decision = role
      ? (firstDenied(role, [{ action: "lambda:InvokeFunction", resource: functionArn }])?.decision ?? "allow")
      : "implicit-deny";
    if (decision === "allow") return;
    const principal = roleArn ? assumedRoleArn(roleArn, "local-states") : `the role of ${stateMachineArn}`;
    const message = `${accessDeniedMessage(principal, "lambda:InvokeFunction", functionArn, decision)} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException)`;
    this.options.log(`[iam] denied ${stateMachineArn}: ${message}`);
    this.options.onDenied?.(`lambda:InvokeFunction by ${stateMachineArn.split(":").pop()}`);
    throw new LambdaInvokeDeniedError(message);
  }

  private check(
    request: GatedRequest,
    read: (api: ApiRequest) => ApiCall,
    answer: (message: string) => ServiceErrorResponse,
    wording: (
      principal: string,
      action: string,
      resource: string,
      decision: Exclude<Decision, "allow">,
    ) => string = accessDeniedMessage,
  ): GateAnswer | undefined {
    const keyId = accessKeyIdOf(request.headers.authorization);
    const fn = keyId ? this.options.functionOfAccessKey(keyId) : undefined;
    if (!fn) return undefined;
    this.options.onChecked?.();
    const role = this.roles.get(fn.roleArn);
    const call = read(apiRequest(request));
    if (call.unreadable) return undefined;
    const denied = role
      ? firstDenied(role, call.checks)
      : call.checks[0] && { check: call.checks[0], decision: "implicit-deny" as const };
    if (!denied) return undefined;
    const message = wording(
      assumedRoleArn(fn.roleArn, fn.name),
      denied.check.action,
      denied.check.resource,
      denied.decision,
    );
    this.options.log(`[iam] denied ${fn.name}: ${message}`);
    this.options.onDenied?.(`${denied.check.action} by ${fn.name}`);
    return answer(message);
  }
}

function apiRequest(request: GatedRequest): ApiRequest {
  return {
    method: request.method,
    path: request.url,
    headers: request.headers,
    body: request.body.toString("utf8"),
  };
}
