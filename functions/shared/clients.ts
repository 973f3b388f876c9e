import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// SDK clients are created once per Lambda container. Endpoints come from the standard
// AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local cloud points them at its stand-ins.
// Each is marked pure, so a function that never uses a client leaves it (and its SDK package) out of its
// bundle: esbuild cannot know a constructor has no side effects (formation-prepare: 507 → 462 KiB).
const dynamodb = /* @__PURE__ */ new DynamoDBClient({});

/** DynamoDB document client (plain JS values, undefined attributes dropped). */
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

let sesClient = /* @__PURE__ */ new SESClient({});

/** SES (v1 API) client. */
export function ses(): SESClient {
  return sesClient;
}

/**
 * Replaces the SES client after a call failed inside the SDK before reaching SES. The SDK's query-protocol
 * serializer keeps its half-written buffer when it throws (seen: a lone UTF-16 surrogate, URIError), and the
 * next email of this container, whatever alliance it belongs to, went out malformed; a fresh client has none.
 */
export function discardSesClient(): void {
  // Not destroyed: another invocation in the same process (the local cloud) may still be sending with it.
  sesClient = new SESClient({});
}

/** Step Functions client. */
export const sfn = /* @__PURE__ */ new SFNClient({});
