import { DataKey } from './data-key';

/**
 * The `DataKey` a library construct (a `SecureQueue`, `SecureTopic`, `FailureQueue`, `AlertTopic`, ...) is encrypted
 * with, found by its `dataKey` property; undefined for anything else. Lets constructs take plain L2 interfaces
 * (`IQueue`, `ITopic`) and still open the key to a producer the narrow way `DataKey.allowService` does.
 */
export function dataKeyOf(resource: object): DataKey | undefined {
  const key = (resource as { dataKey?: unknown }).dataKey;
  return key instanceof DataKey ? key : undefined;
}
