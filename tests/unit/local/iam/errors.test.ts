import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { loadRestJsonErrorCode } from "@aws-sdk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
} from "../../../../local/iam/errors";

// Each answer goes through a real AWS SDK v3 client, pointed at a server that returns it, so the test shows the
// error name and message handler code would see.

const PRINCIPAL = "arn:aws:sts::000000000000:assumed-role/WorkerRole/worker";
let server: Server;
let endpoint: string;
let answer: ServiceErrorResponse;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clientConfig = () => ({
  endpoint,
  region: "us-east-1",
  maxAttempts: 1,
  credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "secret" },
});
const failure = async (send: () => Promise<unknown>) => {
  try {
    await send();
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
  }
  throw new Error("the call succeeded");
};

describe("service answers to a denied call, as the AWS SDK v3 reads them", () => {
  it("DynamoDB: AccessDeniedException with AWS's message and request id", async () => {
    answer = dynamoDbAccessDenied("User: x is not authorized", "REQUEST1");
    const client = new DynamoDBClient(clientConfig());

    const error = await failure(() => client.send(new PutItemCommand({ TableName: "Concord", Item: {} })));

    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toBe("User: x is not authorized");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: "REQUEST1" });
  });

  it("DynamoDB: a request id of 52 capitals and digits by default", () => {
    expect(dynamoDbAccessDenied("m").headers["x-amzn-RequestId"]).toMatch(/^[A-Z0-9]{52}$/);
  });

  it("Step Functions: AccessDeniedException", async () => {
    answer = stepFunctionsAccessDenied(
      "User: x is not authorized to perform: states:StartExecution",
      "REQUEST2",
    );
    const client = new SFNClient(clientConfig());

    const error = await failure(() => client.send(new StartExecutionCommand({ stateMachineArn: "arn:m" })));

    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toBe("User: x is not authorized to perform: states:StartExecution");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: "REQUEST2" });
  });

  const sendEmail = () =>
    new SESClient(clientConfig()).send(
      new SendEmailCommand({
        Source: "concord@example.com",
        Destination: { ToAddresses: ["a@example.org"] },
        Message: { Subject: { Data: "s" }, Body: { Text: { Data: "b" } } },
      }),
    );

  it("SES v1: an error named AccessDenied (not a modelled class), with SES's own wording", async () => {
    const message = sesAccessDeniedMessage(
      PRINCIPAL,
      "ses:SendEmail",
      "arn:aws:ses:us-east-1:000000000000:identity/concord@example.com",
    );
    answer = sesV1AccessDenied(message, "REQUEST3");

    const error = await failure(sendEmail);

    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe(
      "User `arn:aws:sts::000000000000:assumed-role/WorkerRole/worker' is not authorized to perform " +
        "`ses:SendEmail' on resource `arn:aws:ses:us-east-1:000000000000:identity/concord@example.com'",
    );
    expect(error.$metadata).toMatchObject({ httpStatusCode: 403, requestId: "REQUEST3" });
  });

  it("SES v1: MessageRejected for a sender no identity verifies", async () => {
    answer = sesV1MessageRejected(sesNotVerifiedMessage("us-east-1", ["Mallory <mallory@example.net>"]));

    const error = await failure(sendEmail);

    expect(error.name).toBe("MessageRejected");
    expect(error.message).toBe(
      "Email address is not verified. The following identities failed the check in region US-EAST-1: " +
        "Mallory <mallory@example.net>",
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each([
    ["AccessDeniedException", sesV2AccessDenied("denied"), 403],
    ["MessageRejected", sesV2MessageRejected("rejected"), 400],
  ])("SES v2: %s, by the REST JSON rules the v2 client uses", async (name, response, status) => {
    const body = JSON.parse(response.body);
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([key, value]) => [key.toLowerCase(), value]),
    );

    expect(loadRestJsonErrorCode({ statusCode: response.status, headers, body: undefined }, body)).toBe(name);
    expect(response.status).toBe(status);
    expect(body).toEqual({ message: expect.any(String) });
    expect(headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
