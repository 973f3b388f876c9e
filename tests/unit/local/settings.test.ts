import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnvironment, readSettings } from "../../../local/settings";

describe("the local cloud's settings", () => {
  it("refuse two services on one port, naming both variables", () => {
    expect(() => readSettings({ CONCORD_APP_PORT: "8005" })).toThrow(
      "invalid setting — CONCORD_SES_PORT and CONCORD_APP_PORT are both 8005: each service needs its own port",
    );
  });

  it("tell a CLI in another terminal what to set when the app port or data folder is not the default", () => {
    expect(cliEnvironment(readSettings({}))).toEqual([]);
    expect(
      cliEnvironment(readSettings({ CONCORD_APP_PORT: "3100", CONCORD_DATA_DIR: "/tmp/other" })),
    ).toEqual([
      "export CONCORD_URL=http://127.0.0.1:3100",
      `export CONCORD_DATA_DIR=${path.resolve("/tmp/other")}`,
    ]);
    // Another DynamoDB port concerns the cloud alone.
    expect(cliEnvironment(readSettings({ CONCORD_DYNAMODB_PORT: "8100" }))).toEqual([]);
  });
});
