import { randomInt, randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";

/** An HTTP answer the local cloud gives in place of the service, shaped as the service gives it. */
export interface ServiceErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * DynamoDB's answer to a denied call: HTTP 400, JSON 1.0, the coral AccessDeniedException with a capitalised
 * `Message` (as DynamoDB sends it), which the AWS SDK raises as `AccessDeniedException`.
 */
export function dynamoDbAccessDenied(
  message: string,
  requestId: string = dynamoDbRequestId(),
): ServiceErrorResponse {
  const body = JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", Message: message });
  return {
    status: 400,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-RequestId": requestId,
      // DynamoDB signs every answer with a CRC32 of its body.
      "x-amz-crc32": String(crc32(body)),
    },
    body,
  };
}

/** Step Functions' answer to a denied call: HTTP 400, JSON 1.0, `AccessDeniedException`. */
export function stepFunctionsAccessDenied(
  message: string,
  requestId: string = randomUUID(),
): ServiceErrorResponse {
  return {
    status: 400,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-RequestId": requestId },
    body: JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", Message: message }),
  };
}

/**
 * The SES v1 (Query API) answer to a denied call: HTTP 403, an XML ErrorResponse with Code `AccessDenied`,
 * which the AWS SDK v3 SES client raises as an SESServiceException named `AccessDenied` (not a modelled class).
 */
export function sesV1AccessDenied(message: string, requestId: string = randomUUID()): ServiceErrorResponse {
  return sesV1Error(403, "AccessDenied", message, requestId);
}

/** SES v1's MessageRejected: HTTP 400, raised by the SDK as `MessageRejected`. */
export function sesV1MessageRejected(
  message: string,
  requestId: string = randomUUID(),
): ServiceErrorResponse {
  return sesV1Error(400, "MessageRejected", message, requestId);
}

/** The SES v2 (REST JSON) answer to a denied call: HTTP 403, `x-amzn-ErrorType: AccessDeniedException`. */
export function sesV2AccessDenied(message: string, requestId: string = randomUUID()): ServiceErrorResponse {
  return sesV2Error(403, "AccessDeniedException", message, requestId);
}

/** SES v2's MessageRejected: HTTP 400, `x-amzn-ErrorType: MessageRejected`. */
export function sesV2MessageRejected(
  message: string,
  requestId: string = randomUUID(),
): ServiceErrorResponse {
  return sesV2Error(400, "MessageRejected", message, requestId);
}

/**
 * SES's own wording of an access denial, in both APIs: backquote-and-apostrophe quoting and no
 * "because …" clause, e.g. "User `arn:…:assumed-role/Role/fn' is not authorized to perform `ses:SendEmail' on
 * resource `arn:aws:ses:us-east-1:000000000000:identity/concord@example.com'".
 */
export function sesAccessDeniedMessage(principalArn: string, action: string, resource: string): string {
  return `User \`${principalArn}' is not authorized to perform \`${action}' on resource \`${resource}'`;
}

/** SES's MessageRejected text for senders no identity verifies; SES writes the region in capitals. */
export function sesNotVerifiedMessage(region: string, identities: readonly string[]): string {
  return `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${identities.join(", ")}`;
}

function sesV1Error(status: number, code: string, message: string, requestId: string): ServiceErrorResponse {
  const body =
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">\n` +
    `  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status, headers: { "content-type": "text/xml", "x-amzn-RequestId": requestId }, body };
}

function sesV2Error(status: number, type: string, message: string, requestId: string): ServiceErrorResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-ErrorType": type, "x-amzn-RequestId": requestId },
    body: JSON.stringify({ message }),
  };
}

// A text node needs only these three; SES leaves the quotes of its messages as they are.
function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

// DynamoDB request ids are 52 characters of A-Z and 0-9.
function dynamoDbRequestId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from({ length: 52 }, () => alphabet[randomInt(alphabet.length)]).join("");
}
