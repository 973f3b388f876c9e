import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// SDK clients are created once per Lambda container. Endpoints come from the standard
// AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local cloud points them at its stand-ins.
const dynamodb = new DynamoDBClient({});

/** DynamoDB document client (plain JS values, undefined attributes dropped). */
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

/** SES (v1 API) client. */
export const ses = new SESClient({});

/** Step Functions client. */
export const sfn = new SFNClient({});
