import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort, PRIVATE_PORTS } from "../../local/ports";
import { type SesLocal, startSesLocal } from "../../local/ses-local";
import { launchChromium } from "./chromium";

let browser: Browser;
let ses: SesLocal;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "concord-inbox-"));
  const port = await freeLoopbackPort(PRIVATE_PORTS.testClouds, "the inbox test");
  // A gate that lets everything through: the local cloud's IAM checks are not what this test is about.
  ses = await startSesLocal({ host: "127.0.0.1", port, dataDir, gate: () => undefined });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await ses?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the local inbox", () => {
  it("opens a link in an email in a new tab, not inside the email's frame", async () => {
    const client = new SESClient({
      endpoint: ses.endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const link = `${ses.endpoint}/store?opened=yes`;
    await client.send(
      new SendEmailCommand({
        Source: "concord@concord.example",
        Destination: { ToAddresses: ["ada@acme.example"] },
        Message: {
          Subject: { Data: "Share your interests" },
          Body: { Html: { Data: `<p><a href="${link}">Open your request</a></p>` }, Text: { Data: link } },
        },
      }),
    );
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const inbox = await context.newPage();
    await inbox.goto(ses.endpoint);
    await inbox.getByRole("button", { name: "Toggle HTML view" }).click();
    const [opened] = await Promise.all([
      context.waitForEvent("page", { timeout: 10_000 }),
      inbox.frameLocator(".email-html iframe").getByRole("link", { name: "Open your request" }).click(),
    ]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(link);
    expect(inbox.url()).toBe(`${ses.endpoint}/`);
    await context.close();
  });
});
