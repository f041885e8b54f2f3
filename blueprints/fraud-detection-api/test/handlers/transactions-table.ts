import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** The document client of the handlers, mocked for every instance. */
export const documentClient = mockClient(DynamoDBDocumentClient);

/**
 * The transactions table as DynamoDB answers the handlers' calls: conditional puts and updates, the merchant index
 * (merchantId, timestamp) queried newest first with a limit, consistent gets. Only the expressions the handlers use.
 */
export function transactionsTable(): Map<string, Record<string, any>> {
  const items = new Map<string, Record<string, any>>();
  const failCondition = () => {
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  };
  documentClient.reset();
  documentClient.on(PutCommand).callsFake(input => {
    expect(input.ConditionExpression).toBe('attribute_not_exists(transactionId)');
    if (items.has(input.Item.transactionId)) failCondition();
    items.set(input.Item.transactionId, structuredClone(input.Item));
    return {};
  });
  documentClient.on(GetCommand).callsFake(input => ({ Item: items.get(input.Key.transactionId) }));
  documentClient.on(QueryCommand).callsFake(input => {
    expect(input.IndexName).toBe(process.env.MERCHANT_INDEX_NAME);
    const { ':merchant': merchant, ':from': from, ':to': to } = input.ExpressionAttributeValues;
    const matching = [...items.values()]
      .filter(item => item.merchantId === merchant && item.timestamp >= from && item.timestamp <= to)
      .sort((a, b) => (input.ScanIndexForward === false ? b.timestamp.localeCompare(a.timestamp) : a.timestamp.localeCompare(b.timestamp)))
      .slice(0, input.Limit);
    // The index projects the keys, amount, currency and country only.
    return {
      Items: matching.map(({ transactionId, merchantId, timestamp, amount, currency, country }) =>
        ({ transactionId, merchantId, timestamp, amount, currency, country })),
    };
  });
  documentClient.on(UpdateCommand).callsFake(input => {
    const item = items.get(input.Key.transactionId);
    const condition: string | undefined = input.ConditionExpression;
    if (condition?.includes('attribute_exists(transactionId)') && !item) failCondition();
    if (condition?.includes('attribute_not_exists(reviewStatus)') && item?.reviewStatus !== undefined) failCondition();
    const updated = item ?? { transactionId: input.Key.transactionId };
    for (const assignment of input.UpdateExpression.replace(/^SET /, '').split(', ')) {
      const [name, value] = assignment.split(' = ');
      updated[name] = input.ExpressionAttributeValues[value];
    }
    items.set(input.Key.transactionId, updated);
    return {};
  });
  return items;
}
