import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource in a policy at or below `scope`.
 * cdk-nag 3 matches findings by exact id, and the id embeds the resource as the template renders it
 * (`<LogicalId.Arn>/index/*`), so the id is computed from the same token the grant used.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const rendered = flattenReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}

// Mirrors cdk-nag's own flattening of CloudFormation references into finding ids: Fn::Join is joined,
// Fn::GetAtt becomes <Id.Attr>, Ref becomes <Id>, Fn::Sub placeholders become <...>.
function flattenReference(node: unknown): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node.replace(/\$\{/g, "<").replace(/\}/g, ">");
  if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record["Fn::Join"];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (record["Fn::Sub"] !== undefined) return flattenReference(record["Fn::Sub"]);
    const getAtt = record["Fn::GetAtt"];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if (record["Fn::ImportValue"] !== undefined) return flattenReference(record["Fn::ImportValue"]);
    if (record.Ref !== undefined) return `<${flattenReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
