import { CfnParameter } from 'aws-cdk-lib';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import { CacheTls } from '../../../src/rules/elasticache/cache-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = CacheTls.INFO.id;
const GROUP = { replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2 };
const DAX = { iamRoleArn: 'arn:aws:iam::123456789012:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3, sseSpecification: { sseEnabled: true } };
const MEMORYDB = { clusterName: 'balances', nodeType: 'db.r7g.large', aclName: 'open-access' };

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

  describe('DAX and MemoryDB clusters', () => {
    test('pass a DAX cluster with a TLS endpoint and MemoryDB with TLS (its default) on', () => {
      const { app, stack } = shop();
      new dax.CfnCluster(stack, 'Quotes', { ...DAX, clusterEndpointEncryptionType: 'TLS' });
      new memorydb.CfnCluster(stack, 'Balances', MEMORYDB);
      new memorydb.CfnCluster(stack, 'Limits', { ...MEMORYDB, clusterName: 'limits', tlsEnabled: true });
      expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
    });

    test('fail a DAX cluster left at its plaintext endpoint, or set to NONE, and MemoryDB with TLS turned off', () => {
      const { app, stack } = shop();
      new dax.CfnCluster(stack, 'Quotes', DAX);
      new dax.CfnCluster(stack, 'Rates', { ...DAX, clusterEndpointEncryptionType: 'NONE' });
      new memorydb.CfnCluster(stack, 'Balances', { ...MEMORYDB, tlsEnabled: false });
      const findings = findingsOf(app, [ID], { stage: 'prod' });
      expect(lines(findings)).toEqual([`${ID} Shop/Balances`, `${ID} Shop/Quotes`, `${ID} Shop/Rates`]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Quotes').message).toBe("AWS::DAX::Cluster Quotes has ClusterEndpointEncryptionType unset (DAX's default is NONE), so clients read and write its items in plaintext, and only a new cluster can change it.");
      expect(at('Shop/Rates').locations).toEqual(['Properties/ClusterEndpointEncryptionType']);
      expect(at('Shop/Balances').message).toBe('AWS::MemoryDB::Cluster Balances has TLSEnabled false, so clients and replicas exchange its data in plaintext.');
    });

    test('leave intrinsic settings alone', () => {
      const { app, stack } = shop();
      const tls = new CfnParameter(stack, 'Tls', { type: 'String', allowedValues: ['true', 'false'] });
      new dax.CfnCluster(stack, 'Quotes', DAX).addPropertyOverride('ClusterEndpointEncryptionType', { 'Fn::If': ['Tls', 'TLS', 'NONE'] });
      new memorydb.CfnCluster(stack, 'Balances', MEMORYDB).addPropertyOverride('TLSEnabled', tls.valueAsString);
      expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
    });
  });
});
