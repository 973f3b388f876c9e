import { type CfnTemplate, type LocalNaming, resolveIntrinsics } from "../cfn";
import type { ApiCall, ApiRequest } from "./calls";
import type { AuthorizationCheck } from "./policies";

/** A verified SES identity of the template (an AWS::SES::EmailIdentity): an email address or a domain. */
export interface SesIdentity {
  /** The address or domain, e.g. "concord@example.com" or "example.com". */
  name: string;
  /** `arn:aws:ses:<region>:<account>:identity/<name>`. */
  arn: string;
  /** The identity's default configuration set (ConfigurationSetAttributes), used when a send names none. */
  defaultConfigurationSet?: string;
}

/** An SES API call as IAM sees it, with what SES itself would reject after authorization. */
export interface SesCall extends ApiCall {
  /** 1: the Query API (XML errors); 2: the v2 REST API (JSON errors). */
  api: 1 | 2;
  /**
   * The sender, as the request gave it, when no identity of the template verifies it: the caller answers
   * MessageRejected ("Email address is not verified…") once the checks pass. Empty when verified.
   */
  unverified: string[];
}

/** An AWS::SES::EmailIdentity whose EmailIdentity does not resolve to an address or domain. */
export class SesIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SesIdentityError";
  }
}

/** Every AWS::SES::EmailIdentity of the template, with its default configuration set. */
export function sesIdentitiesFromTemplate(template: CfnTemplate, naming: LocalNaming): SesIdentity[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === "AWS::SES::EmailIdentity")
    .map(([logicalId, resource]) => {
      const properties = resolveIntrinsics(resource.Properties ?? {}, template, naming) as {
        EmailIdentity?: unknown;
        ConfigurationSetAttributes?: { ConfigurationSetName?: unknown };
      };
      const name = properties.EmailIdentity;
      if (typeof name !== "string" || name === "") {
        throw new SesIdentityError(`email identity ${logicalId}: EmailIdentity does not resolve to a string`);
      }
      const configurationSet = properties.ConfigurationSetAttributes?.ConfigurationSetName;
      return {
        name,
        arn: sesArn(naming, "identity", name),
        ...(typeof configurationSet === "string" ? { defaultConfigurationSet: configurationSet } : {}),
      };
    });
}

/**
 * The SES call of a request to the v1 Query API (`Action=SendEmail&Source=…`, form-encoded) or the v2 REST API
 * (`POST /v2/email/outbound-emails`); undefined for other v2 routes and non-AWS paths (the local inbox), which the
 * caller forwards unchecked. A send is authorized on the identity that verifies the sender (the address's own
 * identity, else its domain's) and on the configuration set it uses (the one it names, else the identity's default).
 */
export function sesCall(
  request: ApiRequest,
  identities: readonly SesIdentity[],
  naming: LocalNaming,
): SesCall | undefined {
  const url = new URL(request.path, "http://ses.local");
  if (url.pathname === "/v2/email/outbound-emails" && request.method.toUpperCase() === "POST") {
    return sendEmailV2(request.body, identities, naming);
  }
  if (url.pathname.startsWith("/v2/")) return undefined;
  const params = new URLSearchParams(url.search);
  for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value);
  const operation = params.get("Action");
  if (!operation) return undefined;
  if (!V1_SENDS.has(operation)) {
    return { operation, api: 1, checks: [{ action: `ses:${operation}`, resource: "*" }], unverified: [] };
  }
  const sender = params.get("Source") ?? rawFrom(params.get("RawMessage.Data"));
  return send(
    operation,
    `ses:${operation}`,
    1,
    sender,
    params.get("ConfigurationSetName"),
    identities,
    naming,
  );
}

const V1_SENDS = new Set(["SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]);

function sendEmailV2(body: string, identities: readonly SesIdentity[], naming: LocalNaming): SesCall {
  let request: {
    FromEmailAddress?: unknown;
    ConfigurationSetName?: unknown;
    Content?: { Raw?: { Data?: unknown }; Template?: unknown };
  };
  try {
    request = JSON.parse(body) ?? {};
  } catch {
    return { operation: "SendEmail", api: 2, checks: [], unverified: [], unreadable: "body is not JSON" };
  }
  // v2 SendEmail is authorized by its content: raw MIME as ses:SendRawEmail, a template as ses:SendTemplatedEmail.
  const action = request.Content?.Raw
    ? "ses:SendRawEmail"
    : request.Content?.Template
      ? "ses:SendTemplatedEmail"
      : "ses:SendEmail";
  const sender =
    typeof request.FromEmailAddress === "string"
      ? request.FromEmailAddress
      : rawFrom(request.Content?.Raw?.Data);
  const configurationSet =
    typeof request.ConfigurationSetName === "string" ? request.ConfigurationSetName : null;
  return send("SendEmail", action, 2, sender, configurationSet, identities, naming);
}

function send(
  operation: string,
  action: string,
  api: 1 | 2,
  sender: string | null | undefined,
  configurationSetName: string | null,
  identities: readonly SesIdentity[],
  naming: LocalNaming,
): SesCall {
  if (!sender) return { operation, api, checks: [], unverified: [], unreadable: "no sender address" };
  const address = addressOf(sender);
  const identity = identityOf(address, identities);
  const configurationSet = configurationSetName ?? identity?.defaultConfigurationSet;
  const checks: AuthorizationCheck[] = [
    { action, resource: identity?.arn ?? sesArn(naming, "identity", address) },
  ];
  if (configurationSet)
    checks.push({ action, resource: sesArn(naming, "configuration-set", configurationSet) });
  return { operation, api, checks, unverified: identity ? [] : [sender] };
}

/**
 * The identity SES sends an address from: its email address identity (explicit verification is what allows a
 * configuration set), else the identity of its domain or a parent domain ("Creating and verifying identities").
 */
function identityOf(address: string, identities: readonly SesIdentity[]): SesIdentity | undefined {
  const exact = identities.find((identity) => identity.name === address);
  if (exact) return exact;
  const labels = address
    .slice(address.lastIndexOf("@") + 1)
    .toLowerCase()
    .split(".");
  for (let start = 0; start < labels.length - 1; start++) {
    const domain = labels.slice(start).join(".");
    const found = identities.find(
      (identity) => !identity.name.includes("@") && identity.name.toLowerCase() === domain,
    );
    if (found) return found;
  }
  return undefined;
}

// `"Concord" <concord@example.com>` or `concord@example.com`.
function addressOf(sender: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(sender);
  return (angled?.[1] ?? sender).trim();
}

// The From header of a base64 raw MIME message (SendRawEmail without Source, v2 Raw content without From).
function rawFrom(data: unknown): string | undefined {
  if (typeof data !== "string") return undefined;
  const text = Buffer.from(data, "base64").toString("utf8");
  const headers = text.split(/\r?\n\r?\n/, 1)[0]?.replace(/\r?\n[ \t]+/g, " ") ?? "";
  return /^from:[ \t]*(.+)$/im.exec(headers)?.[1]?.trim();
}

function sesArn(naming: LocalNaming, kind: "identity" | "configuration-set", name: string): string {
  return `arn:aws:ses:${naming.region}:${naming.accountId}:${kind}/${name}`;
}
