import { CfnParameter } from 'aws-cdk-lib';
import * as msk from 'aws-cdk-lib/aws-msk';
import { KafkaClusterTls } from '../../../src/rules/msk/cluster-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = KafkaClusterTls.INFO.id;
const CLUSTER = { clusterName: 'ledger', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m7g.large' } };

describe('KafkaClusterTls', () => {
  test('passes the defaults, explicit TLS only, and MSK Serverless', () => {
    const { app, stack } = shop();
    new msk.CfnCluster(stack, 'Plain', CLUSTER);
    new msk.CfnCluster(stack, 'Explicit', { ...CLUSTER, encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } } });
    new msk.CfnServerlessCluster(stack, 'Events', { clusterName: 'events', clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ['subnet-1'] }] });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails plaintext clients and plaintext replication between brokers', () => {
    const { app, stack } = shop();
    new msk.CfnCluster(stack, 'Mixed', { ...CLUSTER, encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS_PLAINTEXT' } } });
    new msk.CfnCluster(stack, 'Open', { ...CLUSTER, encryptionInfo: { encryptionInTransit: { clientBroker: 'PLAINTEXT', inCluster: false } } });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${ID} Shop/Mixed`, `${ID} Shop/Open`]);
    expect(findings.find(f => f.logicalId === 'Open')).toMatchObject({
      severity: 'error',
      message: 'AWS::MSK::Cluster Open has ClientBroker "PLAINTEXT", so clients may produce and consume in plaintext, and InCluster false, so brokers replicate records in plaintext.',
      locations: ['Properties/EncryptionInfo/EncryptionInTransit/ClientBroker', 'Properties/EncryptionInfo/EncryptionInTransit/InCluster'],
    });
  });

  test('leaves intrinsic settings alone', () => {
    const { app, stack } = shop();
    const mode = new CfnParameter(stack, 'Mode', { type: 'String', allowedValues: ['TLS', 'TLS_PLAINTEXT'] });
    new msk.CfnCluster(stack, 'Kafka', { ...CLUSTER, encryptionInfo: { encryptionInTransit: { clientBroker: mode.valueAsString } } });
    new msk.CfnCluster(stack, 'Conditional', CLUSTER).addPropertyOverride('EncryptionInfo.EncryptionInTransit', { 'Fn::If': ['C', { ClientBroker: 'PLAINTEXT' }, { Ref: 'AWS::NoValue' }] });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });
});
