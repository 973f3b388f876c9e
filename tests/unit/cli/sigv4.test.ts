import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../../cli/sigv4";

// Against a deployed stack the admin routes use IAM authorization: the CLI signs with SigV4.

const saved = { ...process.env };

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  process.env = saved;
});

describe("SigV4 signing of admin API calls", () => {
  it("signs for execute-api in the API's own region, covering host, date and body", async () => {
    const headers = await signedHeaders(
      "POST",
      "https://abc123.execute-api.eu-west-1.amazonaws.com/admin/alliances",
      { "content-type": "application/json" },
      '{"name":"x"}',
    );
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers.authorization).toContain("x-amz-date");
    expect(headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
