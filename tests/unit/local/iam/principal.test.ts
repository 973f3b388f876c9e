import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { accessKeyIdOf } from "../../../../local/iam/principal";

describe("accessKeyIdOf", () => {
  it("reads the access key id of the header an AWS SDK client signs", async () => {
    let authorization: string | undefined;
    const server = createServer((req, res) => {
      authorization = req.headers.authorization;
      req.resume();
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end('{"TableNames":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        region: "us-east-1",
        credentials: { accessKeyId: "LOCALAKIDWORKER", secretAccessKey: "secret", sessionToken: "token" },
      });
      await client.send(new ListTablesCommand({}));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    expect(accessKeyIdOf(authorization)).toBe("LOCALAKIDWORKER");
  });

  it("reads the first of repeated headers, whatever the order of its parts", () => {
    expect(
      accessKeyIdOf([
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Credential=AKID2/20261202/eu-west-1/states/aws4_request, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=OTHER/20261202/eu-west-1/states/aws4_request",
      ]),
    ).toBe("AKID2");
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["SigV2", "AWS AKID:signature"],
    ["a credential without its scope", "AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=ab"],
  ])("reads nothing from %s", (_what, header) => {
    expect(accessKeyIdOf(header)).toBeUndefined();
  });
});
