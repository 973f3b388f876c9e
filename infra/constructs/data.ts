import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table } from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";

/** The table's secondary indexes: name and key attributes (all project every attribute). */
export const CONCORD_INDEXES = [
  // Sparse: only alliances with a review scheduled, so the sweep reads what is due and never scans.
  { indexName: "reviews-due", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  // Sparse: only open partner requests, ordered by deadline for reminders.
  { indexName: "requests-by-deadline", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  // Lists alliances without a scan.
  { indexName: "alliances", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
] as const;

/**
 * Concord's single DynamoDB table: `pk`/`sk`, three sparse-friendly indexes, on-demand, point-in-time recovery,
 * deletion protection, and retained when the stack goes away (it holds every alliance's timeline).
 */
export class ConcordData extends Construct {
  /** The single table. */
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, "Table", {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Items that carry `ttl` (epoch seconds) are deleted by DynamoDB after it: the footers' concern links.
      timeToLiveAttribute: "ttl",
    });
    for (const index of CONCORD_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
