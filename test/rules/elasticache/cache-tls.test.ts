import { CfnParameter } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { CacheTls } from '../../../src/rules/elasticache/cache-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = CacheTls.INFO.id;
const GROUP = { replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2 };

describe('CacheTls', () => {
  test('passes a replication group that requires TLS, serverless caches and Memcached clusters', () => {
    const { app, stack } = shop();
    new elasticache.CfnReplicationGroup(stack, 'Sessions', { ...GROUP, atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: 'required' });
    new elasticache.CfnReplicationGroup(stack, 'Quotes', { ...GROUP, transitEncryptionEnabled: true });
    new elasticache.CfnServerlessCache(stack, 'Serverless', { engine: 'valkey', serverlessCacheName: 'rates' });
    new elasticache.CfnCacheCluster(stack, 'Memcached', { engine: 'memcached', cacheNodeType: 'cache.t4g.micro', numCacheNodes: 1 });
    // A global datastore member takes its settings from the datastore.
    new elasticache.CfnReplicationGroup(stack, 'Member', { replicationGroupDescription: 'member', globalReplicationGroupId: 'ldgr-global' });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails a group without in-transit encryption, and one in "preferred" mode', () => {
    const { app, stack } = shop();
    new elasticache.CfnReplicationGroup(stack, 'Sessions', GROUP);
    new elasticache.CfnReplicationGroup(stack, 'Migrating', { ...GROUP, transitEncryptionEnabled: true, transitEncryptionMode: 'preferred' });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${ID} Shop/Migrating`, `${ID} Shop/Sessions`]);
    expect(findings.map(f => f.message).sort()).toEqual([
      'AWS::ElastiCache::ReplicationGroup Migrating has TransitEncryptionMode "preferred", so it still accepts plaintext connections.',
      'AWS::ElastiCache::ReplicationGroup Sessions has TransitEncryptionEnabled unset, so clients and replicas exchange its data in plaintext.',
    ]);
    expect(findings[0]).toMatchObject({ severity: 'error' });
  });

  test('leaves an intrinsic setting alone', () => {
    const { app, stack } = shop();
    const tls = new CfnParameter(stack, 'Tls', { type: 'String', allowedValues: ['true', 'false'] });
    new elasticache.CfnReplicationGroup(stack, 'Sessions', GROUP).addPropertyOverride('TransitEncryptionEnabled', tls.valueAsString);
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });
});
