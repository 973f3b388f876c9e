import http from "node:http";
import type { AddressInfo } from "node:net";
import { SendEmailCommand } from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidEmailError, sendEmail, sendThroughSes } from "../../../functions/mail/send";
import { resetConfig } from "../../../functions/shared/config";

// Issue 7, defect 1: a lone surrogate in one alliance's email broke the next, unrelated alliance's email.
// The SES client's query serializer kept its half-written buffer after throwing URIError, so the next
// request of the container went out malformed. A real SDK client against a plain HTTP server shows it.

const received: string[] = [];
let server: http.Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push(new URLSearchParams(body).get("Message.Subject.Data") ?? "");
      res.setHeader("content-type", "text/xml");
      res.end(
        `<SendEmailResponse><SendEmailResult><MessageId>m${received.length}</MessageId></SendEmailResult></SendEmailResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TABLE_NAME: "concord-test",
    MAIL_FROM: "concord@example.com",
    APP_URL: "https://concord.example",
  });
  resetConfig();
});

afterAll(() => {
  server.close();
  process.env = saved;
  resetConfig();
});

const command = (subject: string) =>
  new SendEmailCommand({
    Source: "concord@example.com",
    Destination: { ToAddresses: ["ada@example.com"] },
    Message: {
      Subject: { Data: subject, Charset: "UTF-8" },
      Body: { Text: { Data: "hi", Charset: "UTF-8" } },
    },
  });

describe("sending through SES", () => {
  it("refuses text that is not well-formed Unicode before the SDK sees it, naming the part", async () => {
    const sent = sendEmail({
      to: ["ada@example.com"],
      subject: "Lumen \ud800 Analytics",
      text: "t",
      html: "<p>h</p>",
    });
    await expect(sent).rejects.toBeInstanceOf(InvalidEmailError);
    await expect(sent).rejects.toThrow(/subject: must be well-formed Unicode/);
  });

  it("leaves no state behind when the SDK itself fails: the next email goes out whole", async () => {
    await expect(sendThroughSes(command("Lumen \ud800 Analytics"))).rejects.toThrow(URIError);
    await expect(sendThroughSes(command("A clean alliance"))).resolves.toMatchObject({
      MessageId: expect.any(String),
    });
    expect(received.at(-1)).toBe("A clean alliance");
  });
});
