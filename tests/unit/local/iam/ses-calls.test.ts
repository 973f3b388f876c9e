import { describe, expect, it } from "vitest";
import type { CfnTemplate, LocalNaming } from "../../../../local/cfn";
import { type SesIdentity, sesCall, sesIdentitiesFromTemplate } from "../../../../local/iam/ses-calls";

const naming: LocalNaming = { region: "eu-west-1", accountId: "000000000000", stackName: "Concord" };
const ses = (kind: string, name: string) => `arn:aws:ses:eu-west-1:000000000000:${kind}/${name}`;

const identities: SesIdentity[] = [
  {
    name: "concord@example.com",
    arn: ses("identity", "concord@example.com"),
    defaultConfigurationSet: "concord-mail",
  },
  { name: "example.org", arn: ses("identity", "example.org") },
];

const v1 = (params: Record<string, string>) =>
  sesCall(
    {
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ Version: "2010-12-01", ...params }).toString(),
    },
    identities,
    naming,
  );
const v2 = (body: unknown) =>
  sesCall(
    { method: "POST", path: "/v2/email/outbound-emails", headers: {}, body: JSON.stringify(body) },
    identities,
    naming,
  );
const on = (action: string, resource: string) => ({ action, resource });

describe("sesIdentitiesFromTemplate", () => {
  it("reads each email identity with its default configuration set, intrinsics resolved", () => {
    const template: CfnTemplate = {
      Parameters: { SenderAddress: { Default: "concord@example.com" } },
      Resources: {
        MailConfigurationSet: { Type: "AWS::SES::ConfigurationSet", Properties: { Name: "concord-mail" } },
        MailIdentity: {
          Type: "AWS::SES::EmailIdentity",
          Properties: {
            EmailIdentity: { Ref: "SenderAddress" },
            ConfigurationSetAttributes: { ConfigurationSetName: { Ref: "MailConfigurationSet" } },
          },
        },
        DomainIdentity: { Type: "AWS::SES::EmailIdentity", Properties: { EmailIdentity: "example.org" } },
      },
    };

    const [address, domain] = sesIdentitiesFromTemplate(template, naming);

    expect(address).toEqual({
      name: "concord@example.com",
      arn: ses("identity", "concord@example.com"),
      // Needs cfn.ts to name an AWS::SES::ConfigurationSet by its Name property (else: its logical id).
      defaultConfigurationSet: "concord-mail",
    });
    expect(domain).toEqual({ name: "example.org", arn: ses("identity", "example.org") });
  });
});

describe("sesCall", () => {
  it("authorizes a v1 SendEmail on the sender's identity and its default configuration set", () => {
    expect(v1({ Action: "SendEmail", Source: "Concord <concord@example.com>" })).toEqual({
      operation: "SendEmail",
      api: 1,
      checks: [
        on("ses:SendEmail", ses("identity", "concord@example.com")),
        on("ses:SendEmail", ses("configuration-set", "concord-mail")),
      ],
      unverified: [],
    });
  });

  it("authorizes the configuration set a send names instead of the identity's default", () => {
    expect(
      v1({ Action: "SendEmail", Source: "concord@example.com", ConfigurationSetName: "audit" })?.checks,
    ).toEqual([
      on("ses:SendEmail", ses("identity", "concord@example.com")),
      on("ses:SendEmail", ses("configuration-set", "audit")),
    ]);
  });

  it("authorizes an address of a verified domain on the domain's identity", () => {
    expect(v1({ Action: "SendEmail", Source: "team@mail.Example.org" })?.checks).toEqual([
      on("ses:SendEmail", ses("identity", "example.org")),
    ]);
  });

  it("authorizes an unverified sender on its own address and reports it for MessageRejected", () => {
    expect(v1({ Action: "SendEmail", Source: "Mallory <mallory@example.net>" })).toMatchObject({
      checks: [on("ses:SendEmail", ses("identity", "mallory@example.net"))],
      unverified: ["Mallory <mallory@example.net>"],
    });
  });

  it("takes the sender of a v1 SendRawEmail from the From header when there is no Source", () => {
    const raw =
      "From: =?utf-8?q?Concord?=\r\n <concord@example.com>\r\nTo: a@b.c\r\nSubject: hi\r\n\r\nFrom: nobody@x.y\r\n";
    const call = v1({ Action: "SendRawEmail", "RawMessage.Data": Buffer.from(raw).toString("base64") });

    expect(call?.checks[0]).toEqual(on("ses:SendRawEmail", ses("identity", "concord@example.com")));
  });

  it("authorizes other v1 actions on *", () => {
    expect(v1({ Action: "GetSendQuota" })?.checks).toEqual([on("ses:GetSendQuota", "*")]);
  });

  it("authorizes a v2 send by its content: simple as ses:SendEmail, raw as ses:SendRawEmail", () => {
    expect(
      v2({ FromEmailAddress: "concord@example.com", Content: { Simple: {} }, ConfigurationSetName: "audit" }),
    ).toEqual({
      operation: "SendEmail",
      api: 2,
      checks: [
        on("ses:SendEmail", ses("identity", "concord@example.com")),
        on("ses:SendEmail", ses("configuration-set", "audit")),
      ],
      unverified: [],
    });
    const raw = Buffer.from("From: concord@example.com\r\n\r\nbody").toString("base64");
    expect(v2({ Content: { Raw: { Data: raw } } })?.checks[0]).toEqual(
      on("ses:SendRawEmail", ses("identity", "concord@example.com")),
    );
  });

  it("leaves requests that are no SES API call it knows to the caller", () => {
    expect(
      sesCall({ method: "GET", path: "/store", headers: {}, body: "" }, identities, naming),
    ).toBeUndefined();
    expect(
      sesCall({ method: "GET", path: "/v2/email/identities", headers: {}, body: "" }, identities, naming),
    ).toBeUndefined();
  });

  it("leaves a send without a sender unchecked, for SES to reject", () => {
    expect(v1({ Action: "SendEmail" })).toMatchObject({ checks: [], unreadable: "no sender address" });
  });
});
