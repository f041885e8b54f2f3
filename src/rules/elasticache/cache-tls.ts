import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C18: an in-memory store accepts only TLS connections. An ElastiCache (Redis OSS or Valkey) replication group:
 * `TransitEncryptionEnabled` true (CloudFormation's default is false) and `TransitEncryptionMode` not `preferred` (which
 * accepts plaintext clients too, a migration mode). A DAX cluster: `ClusterEndpointEncryptionType` `TLS` (the default is
 * `NONE`, and it cannot change after creation). A MemoryDB cluster: `TLSEnabled` not false (its default is true).
 * Must not judge: serverless caches (always TLS), cache clusters (Memcached, or a Redis node that a replication group is
 * the way to encrypt), members of a global datastore (the datastore decides), intrinsic values.
 */
export class CacheTls implements FintechRule {
  /** Metadata of `Fintech-C18-CacheWithoutTls`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-CacheWithoutTls',
    catalogId: 'C18',
    title: 'In-memory caches and databases accept only TLS connections',
    description: 'Without in-transit encryption, session tokens, balances, quotes or idempotency keys cached in Redis, Valkey, DAX or MemoryDB cross the VPC in plaintext, and the AUTH token travels in clear; "preferred" mode still accepts plaintext clients. ' +
      'Judged on ElastiCache replication groups, DAX clusters and MemoryDB clusters. Not judged: serverless caches (always TLS), cache clusters, members of a global datastore (the datastore decides), intrinsic settings.',
    fix: 'Set TransitEncryptionEnabled: true (and TransitEncryptionMode: "required", or leave it unset) on a CfnReplicationGroup, ClusterEndpointEncryptionType: "TLS" on a DAX CfnCluster (a new cluster: it cannot change), ' +
      'and leave TLSEnabled at its default (true) on a MemoryDB CfnCluster; connect clients with TLS.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'CacheTls';
  public readonly infos = [CacheTls.INFO];
  public readonly resourceTypes = Object.keys(READERS);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const gap = resource.properties ? READERS[resource.type]?.(resource.properties) : undefined;
    return gap ? [findingOn(resource, CacheTls.INFO.id, `${resource.type} ${resource.logicalId} ${gap.problem}`, [gap.location])] : [];
  }
}

/** What a store's template says that lets plaintext in, and where. */
interface TlsGap {
  readonly problem: string;
  readonly location: string;
}

const READERS: { readonly [type: string]: ((properties: { readonly [key: string]: unknown }) => TlsGap | undefined) | undefined } = {
  'AWS::ElastiCache::ReplicationGroup': properties => {
    if (properties.GlobalReplicationGroupId !== undefined) return undefined;
    const setting = properties.TransitEncryptionEnabled;
    const enabled = setting === undefined ? false : TemplateValue.booleanOf(setting);
    if (enabled === false) {
      return { problem: `has TransitEncryptionEnabled ${setting === undefined ? 'unset' : 'false'}, so clients and replicas exchange its data in plaintext.`, location: 'Properties/TransitEncryptionEnabled' };
    }
    if (enabled && properties.TransitEncryptionMode === 'preferred') {
      return { problem: 'has TransitEncryptionMode "preferred", so it still accepts plaintext connections.', location: 'Properties/TransitEncryptionMode' };
    }
    return undefined;
  },
  'AWS::DAX::Cluster': properties => {
    const setting = properties.ClusterEndpointEncryptionType;
    if (setting !== undefined && setting !== 'NONE') return undefined;
    return {
      problem: `has ClusterEndpointEncryptionType ${setting === undefined ? 'unset (DAX\'s default is NONE)' : '"NONE"'}, so clients read and write its items in plaintext, and only a new cluster can change it.`,
      location: 'Properties/ClusterEndpointEncryptionType',
    };
  },
  'AWS::MemoryDB::Cluster': properties => (TemplateValue.booleanOf(properties.TLSEnabled) === false
    ? { problem: 'has TLSEnabled false, so clients and replicas exchange its data in plaintext.', location: 'Properties/TLSEnabled' }
    : undefined),
};
