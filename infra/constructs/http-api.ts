import { Aws, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** Route paths of the HTTP API (the local HTTP front serves the same ones). */
export const ROUTES = {
  partner: "/r/{requestId}",
  concern: "/c/{linkId}",
  admin: "/admin/{proxy+}",
  adminRoot: "/admin",
} as const;

/** Props of the HTTP API. */
export interface ConcordHttpApiProps {
  /** Steady-state requests per second across the API. @default 50 */
  readonly rateLimit?: number;
  /** Burst capacity across the API. @default 100 */
  readonly burstLimit?: number;
}

/**
 * The HTTP API in front of the partner pages and the admin API. Created before the workflows (their tasks need
 * its URL as APP_URL); the routes are added afterwards, once the handlers that need the state machines exist,
 * so no dependency cycle arises.
 */
export class ConcordHttpApi extends Construct {
  /** The API. */
  readonly api: HttpApi;
  /** Public base URL, no trailing slash (the `$default` stage serves the API root). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConcordHttpApiProps = {}) {
    super(scope, id);
    this.api = new HttpApi(this, "Api", {
      description: "Concord partner decision pages and admin API",
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, never the raw path or query: partner links carry their secret in the URL.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            sourceIp: "$context.identity.sourceIp",
            userArn: "$context.identity.userArn",
            routeKey: "$context.routeKey",
            status: "$context.status",
            responseLength: "$context.responseLength",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });
    // The same value as the ApiEndpoint attribute, spelled with Ref and pseudo parameters so the local cloud can
    // resolve it too (its naming contract covers Ref, not this resource's attributes).
    this.url = `https://${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }

  /**
   * Routes `ANY /r/{requestId}` (decision pages) and `ANY /c/{linkId}` (raise a concern) to the partner handler;
   * public, the capability link authenticates.
   */
  addPartnerRoutes(handler: IFunction): void {
    const integration = new HttpLambdaIntegration("PartnerIntegration", handler);
    const routes = [ROUTES.partner, ROUTES.concern].flatMap((path) =>
      this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration }),
    );
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "Partners have no accounts: the capability link (unguessable request id plus a secret checked by the " +
          "handler against its stored hash) is the authorization, as the partner-link contract specifies.",
      });
    }
  }

  /** Routes `ANY /admin` and `ANY /admin/{proxy+}` to the admin handler behind IAM (SigV4) authorization. */
  addAdminRoutes(handler: IFunction): void {
    const integration = new HttpLambdaIntegration("AdminIntegration", handler);
    const authorizer = new HttpIamAuthorizer();
    for (const path of [ROUTES.adminRoot, ROUTES.admin]) {
      this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration, authorizer });
    }
  }
}
