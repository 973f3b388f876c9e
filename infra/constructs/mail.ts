import { CfnParameter, Stack } from "aws-cdk-lib";
import { Grant, type IGrantable } from "aws-cdk-lib/aws-iam";
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity } from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

/** Logical id of the stack parameter holding the sender address. */
export const SENDER_ADDRESS_PARAMETER = "SenderAddress";

/** Logical id of the stack parameter holding the admin address. */
export const ADMIN_ADDRESS_PARAMETER = "AdminAddress";

/** Props of the mail construct. */
export interface ConcordMailProps {
  /** Default of the SenderAddress parameter. @default "concord@example.com" */
  readonly defaultSenderAddress?: string;
  /** Default of the AdminAddress parameter. @default "admin@example.com" */
  readonly defaultAdminAddress?: string;
}

/**
 * SES sending for Concord: the sender address as the stack parameter `SenderAddress`, an email identity for it
 * (SES mails the address a verification link on deploy) and a configuration set that requires TLS.
 */
export class ConcordMail extends Construct {
  /** The sender address (a `Ref` to the SenderAddress parameter). */
  readonly senderAddress: string;
  /** Who hears what needs an admin (a review's escalation or exit recommendation): a `Ref` to AdminAddress. */
  readonly adminAddress: string;
  /** The SES identity of the sender address. */
  readonly identity: EmailIdentity;
  /** The configuration set every message from the identity goes through by default. */
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: ConcordMailProps = {}) {
    super(scope, id);
    const parameter = new CfnParameter(this, "SenderAddress", {
      type: "String",
      default: props.defaultSenderAddress ?? "concord@example.com",
      description:
        "Email address Concord sends from. SES emails it a verification link on first deploy; while the account " +
        "is in the SES sandbox, recipients must be verified too.",
      allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
      constraintDescription: "must be an email address such as concord@example.com",
    });
    // A stable, readable name for `cdk deploy --parameters SenderAddress=...`.
    parameter.overrideLogicalId(SENDER_ADDRESS_PARAMETER);
    this.senderAddress = parameter.valueAsString;
    const admin = new CfnParameter(this, "AdminAddress", {
      type: "String",
      default: props.defaultAdminAddress ?? "admin@example.com",
      description:
        "Email address of the alliances' admin: told when a review raises an escalation or recommends an exit.",
      allowedPattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
      constraintDescription: "must be an email address such as admin@example.com",
    });
    admin.overrideLogicalId(ADMIN_ADDRESS_PARAMETER);
    this.adminAddress = admin.valueAsString;

    this.configurationSet = new ConfigurationSet(this, "ConfigurationSet", {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.identity = new EmailIdentity(this, "Identity", {
      identity: Identity.email(this.senderAddress),
      configurationSet: this.configurationSet,
    });
  }

  /** Grants ses:SendEmail and ses:SendRawEmail from the sender identity only. */
  grantSend(grantee: IGrantable): Grant {
    // SES authorises a send against the From identity and, when one applies (here: the identity's default),
    // against the configuration set; both are named, nothing else is granted.
    const configurationSetArn = Stack.of(this).formatArn({
      service: "ses",
      resource: "configuration-set",
      resourceName: this.configurationSet.configurationSetName,
    });
    return Grant.addToPrincipal({
      grantee,
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resourceArns: [this.identity.emailIdentityArn, configurationSetArn],
    });
  }
}
