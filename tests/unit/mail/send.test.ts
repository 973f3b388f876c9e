import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidEmailError, MissingMessageIdError, sendEmail, sender } from "../../../functions/mail/send";
import { resetConfig } from "../../../functions/shared/config";

const sesMock = mockClient(SESClient);
const saved = { ...process.env };

beforeEach(() => {
  sesMock.reset();
  process.env.TABLE_NAME = "concord-test";
  process.env.MAIL_FROM = "concord@alliances.example";
  process.env.APP_URL = "https://concord.example";
  resetConfig();
});

afterAll(() => {
  process.env = saved;
  resetConfig();
  sesMock.restore();
});

const email = {
  to: ["ada@acme.example", "bea@bolt.example"],
  subject: "Harbour: approve or reject the charter by 12 Dec 2025",
  text: "Hello Ada — ünïcode too",
  html: "<p>Hello Ada — ünïcode too</p>",
};

describe("sendEmail", () => {
  it("sends text and HTML from MAIL_FROM as UTF-8 and returns SES's MessageId", async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: "msg-123" });

    await expect(sendEmail(email)).resolves.toBe("msg-123");

    const calls = sesMock.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Source: "concord@alliances.example",
      Destination: { ToAddresses: ["ada@acme.example", "bea@bolt.example"] },
      Message: {
        Subject: { Data: email.subject, Charset: "UTF-8" },
        Body: {
          Text: { Data: email.text, Charset: "UTF-8" },
          Html: { Data: email.html, Charset: "UTF-8" },
        },
      },
    });
  });

  it("sets Reply-To when asked", async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: "msg-456" });
    await sendEmail({ ...email, replyTo: "admin@alliances.example" });
    expect(sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input.ReplyToAddresses).toEqual([
      "admin@alliances.example",
    ]);
  });

  it("refuses a bad recipient before calling SES, naming the field", async () => {
    await expect(sendEmail({ ...email, to: ["not-an-address"] })).rejects.toThrow(InvalidEmailError);
    await expect(sendEmail({ ...email, to: [] })).rejects.toThrow(/to: must name at least one recipient/);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it("fails loudly when SES returns no MessageId", async () => {
    sesMock.on(SendEmailCommand).resolves({});
    await expect(sendEmail(email)).rejects.toThrow(MissingMessageIdError);
  });
});

describe("the sender of an email", () => {
  it("is the address under a quoted display name, escaped; a non-ASCII name is an RFC 2047 word; controls never reach it", () => {
    expect(sender("c@x.example", 'Harbour "North" \\ Alliance via Concord')).toBe(
      '"Harbour \\"North\\" \\\\ Alliance via Concord" <c@x.example>',
    );
    expect(sender("c@x.example", "Café Allianz via Concord")).toBe(
      `=?utf-8?B?${Buffer.from("Café Allianz via Concord").toString("base64")}?= <c@x.example>`,
    );
    expect(sender("c@x.example", "Two\r\nBcc: x@y.example")).toBe('"Two Bcc: x@y.example" <c@x.example>');
    expect(sender("c@x.example", undefined)).toBe("c@x.example");
  });
});
