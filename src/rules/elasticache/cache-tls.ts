import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C18: an ElastiCache (Redis OSS or Valkey) replication group accepts only TLS connections: `TransitEncryptionEnabled`
 * true (CloudFormation's default is false) and `TransitEncryptionMode` not `preferred` (which accepts plaintext clients too,
 * a migration mode). Must not judge: serverless caches (always TLS), cache clusters (Memcached, or a Redis node that a
 * replication group is the way to encrypt), members of a global datastore (the datastore decides), intrinsic values.
 */
export class CacheTls implements FintechRule {
  /** Metadata of `Fintech-C18-CacheWithoutTls`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-CacheWithoutTls',
    catalogId: 'C18',
    title: 'ElastiCache replication groups accept only TLS connections',
    description: 'Without in-transit encryption, session tokens, balances or idempotency keys cached in Redis or Valkey cross the VPC in plaintext, and the AUTH token travels in clear; "preferred" mode still accepts plaintext clients. Judged on replication groups. Not judged: serverless caches (always TLS), cache clusters, members of a global datastore (the datastore decides), intrinsic settings.',
    fix: 'Set TransitEncryptionEnabled: true (and TransitEncryptionMode: "required", or leave it unset) on the CfnReplicationGroup, and connect clients with TLS.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'CacheTls';
  public readonly infos = [CacheTls.INFO];
  public readonly resourceTypes = ['AWS::ElastiCache::ReplicationGroup'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || properties.GlobalReplicationGroupId !== undefined) return [];
    const setting = properties.TransitEncryptionEnabled;
    const enabled = setting === undefined ? false : TemplateValue.booleanOf(setting);
    if (enabled === false) {
      return [findingOn(resource, CacheTls.INFO.id,
        `${resource.type} ${resource.logicalId} has TransitEncryptionEnabled ${setting === undefined ? 'unset' : 'false'}, so clients and replicas exchange its data in plaintext.`,
        ['Properties/TransitEncryptionEnabled'])];
    }
    if (enabled && properties.TransitEncryptionMode === 'preferred') {
      return [findingOn(resource, CacheTls.INFO.id,
        `${resource.type} ${resource.logicalId} has TransitEncryptionMode "preferred", so it still accepts plaintext connections.`,
        ['Properties/TransitEncryptionMode'])];
    }
    return [];
  }
}
