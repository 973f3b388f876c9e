import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";

// Writes one marker item to the table named by TABLE_NAME, with the function's own credentials.
const client = new DynamoDBClient({});

export async function handler(event: { marker: string }): Promise<{ written: string }> {
  const table = process.env.TABLE_NAME;
  if (!table) throw new Error("TABLE_NAME is not set");
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: `ISOLATION#${event.marker}` }, sk: { S: "marker" } },
    }),
  );
  return { written: event.marker };
}
