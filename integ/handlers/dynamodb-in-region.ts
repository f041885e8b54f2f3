import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, GetItemCommandInput, PutItemCommand, PutItemCommandInput } from '@aws-sdk/client-dynamodb';

// Calls DynamoDB in the region the event names, so an integ test whose assertions run in the home region can write
// there and read a replica in another region (integ-tests' awsApiCall has no region of its own).
export type RegionalCall =
  | { readonly region: string; readonly action: 'putItem'; readonly input: PutItemCommandInput }
  | { readonly region: string; readonly action: 'getItem'; readonly input: GetItemCommandInput }
  | { readonly region: string; readonly action: 'describeTable' | 'describeContinuousBackups'; readonly input: { readonly TableName: string } };

const clients = new Map<string, DynamoDBClient>();

// Answers { region, action, output }: an error answers errorType and errorMessage instead, which no assertion matches.
export const handler = async (call: RegionalCall): Promise<{ region: string; action: string; output: unknown }> => {
  const client = clients.get(call.region) ?? new DynamoDBClient({ region: call.region });
  clients.set(call.region, client);
  const output = await (() => {
    switch (call.action) {
      case 'putItem': return client.send(new PutItemCommand(call.input));
      case 'getItem': return client.send(new GetItemCommand(call.input));
      case 'describeTable': return client.send(new DescribeTableCommand(call.input));
      case 'describeContinuousBackups': return client.send(new DescribeContinuousBackupsCommand(call.input));
    }
  })();
  const { $metadata, ...rest } = output as { $metadata?: unknown };
  return { region: call.region, action: call.action, output: rest };
};
