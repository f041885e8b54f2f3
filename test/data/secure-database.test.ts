import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { SecureDatabase, SecureDatabaseProps } from '../../src/data/secure-database';
import { DataKey } from '../../src/encryption/data-key';
import { FintechVpc } from '../../src/network/fintech-vpc';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

const GiB = 1024 ** 3;

/** A durable or ephemeral stage with a FintechVpc, a database, a client it admits and a role it lets connect. */
function workload(stageName: 'dev' | 'prod', props: Partial<SecureDatabaseProps> = {}, app: App = testApp()) {
  const stack = stackIn(app, stageName);
  const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2 });
  const database = new SecureDatabase(stack, 'Ledger', { vpc, ...props });
  const clients = new ec2.SecurityGroup(stack, 'Clients', { vpc, allowAllOutbound: false });
  database.allowFrom(clients);
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  database.grantConnect(role, 'app');
  return { stack, vpc, database, clients, role };
}

function clusterOf(template: Template) {
  return Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
}

describe('SecureDatabase in a durable stage (Serverless v2 by default)', () => {
  const { stack, vpc, database, clients } = workload('prod');
  const template = Template.fromStack(stack);
  const key = stack.resolve(database.dataKey.key.keyArn);

  test('encrypted with its DataKey, IAM authentication on, TLS forced, PostgreSQL 17 on 5432', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: '17.7',
      Port: 5432,
      StorageEncrypted: true,
      KmsKeyId: key,
      EnableIAMDatabaseAuthentication: true,
      PerformanceInsightsEnabled: true,
      PerformanceInsightsKmsKeyId: key,
      EnableCloudwatchLogsExports: ['postgresql'],
      CopyTagsToSnapshot: true,
    });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql17', Parameters: { 'rds.force_ssl': '1' } });
    expect(database.node.tryFindChild('Key')).toBeUndefined();
    expect(database.dataKey.node.path).toBe('prod/Workload/LedgerKey');
  });

  test('the master password is RDS-managed, in a secret encrypted with the key and rotated every 30 days', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      MasterUsername: 'postgres',
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: key },
      MasterUserPassword: Match.absent(),
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Ledger'), 'MasterUserSecret.SecretArn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      HostedRotationLambda: Match.absent(),
      RotationLambdaARN: Match.absent(),
    });
    // RDS owns the secret: none in the template, so none is left behind when the cluster goes.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // No rotation function (the VPC's default-security-group custom resource is the only function).
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter(id => id.startsWith('Ledger'))).toEqual([]);
  });

  test('durable: 35 days of backups, deletion protection, a final snapshot, automated backups kept', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({ BackupRetentionPeriod: 35, DeletionProtection: true, DeleteAutomatedBackups: false }),
    });
  });

  test('a named cluster with a writer and one reader, Serverless v2 from 0.5 to 16 ACU, never publicly accessible', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'ledger-workload-ledger-prod',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
    });
    const instances = Object.values(template.findResources('AWS::RDS::DBInstance'));
    expect(instances.map(i => [i.Properties.DBInstanceClass, i.Properties.PubliclyAccessible, i.Properties.PromotionTier])).toEqual([
      ['db.serverless', false, 0],
      ['db.serverless', false, 1],
    ]);
    expect(database.clusterName).toBe('ledger-workload-ledger-prod');
  });

  test('only the isolated subnets', () => {
    const isolated = vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId));
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: isolated });
    template.resourceCountIs('AWS::RDS::DBSubnetGroup', 1);
  });

  test('the PostgreSQL log group exists before the cluster, encrypted with the key, kept a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/ledger-workload-ledger-prod/postgresql',
      KmsKeyId: key,
      RetentionInDays: 365,
    });
    const logGroupId = stack.getLogicalId(database.logGroup.node.defaultChild as any);
    expect(clusterOf(template).DependsOn).toContain(logGroupId);
    // CloudWatch Logs may use the key for that log group only.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/ledger-workload-ledger-prod/postgresql']],
              },
            },
          },
        })]),
      },
    });
  });

  test('its own security group: no egress, and exactly the one ingress rule allowFrom added', () => {
    const groupId = stack.resolve(database.securityGroup.securityGroupId);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Aurora PostgreSQL ledger-workload-ledger-prod: ingress only from what allowFrom adds',
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter(r => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupId));
    expect(ingress.map(r => r.Properties)).toEqual([{
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      GroupId: groupId,
      SourceSecurityGroupId: stack.resolve(clients.securityGroupId),
      Description: 'PostgreSQL clients of ledger-workload-ledger-prod',
    }]);
  });

  test('grantConnect: rds-db:connect as that user of this cluster only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'rds-db:connect',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds-db:eu-west-1:123456789012:dbuser:', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Ledger'), 'DBClusterResourceId'] }, '/app']],
          },
        }],
      },
    });
  });

  test('five alarms on the stage alert topic: CPU, memory, connections, ACU, replica lag', () => {
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const dimension = [{ Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^Ledger') } }];
    const expectAlarm = (metricName: string, statistic: string, comparison: string, threshold: number) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: metricName,
        Dimensions: dimension,
        Statistic: statistic,
        ComparisonOperator: comparison,
        Threshold: threshold,
        AlarmActions: [topic],
        OKActions: [topic],
        AlarmDescription: Match.stringLikeRegexp('prod/Workload/Ledger'),
      });
    expectAlarm('CPUUtilization', 'Maximum', 'GreaterThanThreshold', 80);
    // 10% of the 32 GiB of 16 ACU.
    expectAlarm('FreeableMemory', 'Minimum', 'LessThanThreshold', Math.round(32 * GiB * 0.1));
    // A 0.5 ACU minimum caps max_connections at 2,000; 80% of it.
    expectAlarm('DatabaseConnections', 'Maximum', 'GreaterThanThreshold', 1600);
    expectAlarm('ACUUtilization', 'Maximum', 'GreaterThanThreshold', 90);
    expectAlarm('AuroraReplicaLagMaximum', 'Maximum', 'GreaterThanThreshold', 2000);
    expect(database.alarms.map(a => a.node.id)).toEqual(['CpuAlarm', 'FreeableMemoryAlarm', 'ConnectionsAlarm', 'AcuUtilizationAlarm', 'ReplicaLagAlarm']);
  });
});

describe('SecureDatabase in an ephemeral stage', () => {
  const { stack, database } = workload('dev');
  const template = Template.fromStack(stack);

  test('destroyed with the stack: no deletion protection, no snapshot, automated backups deleted, a week of backups', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ BackupRetentionPeriod: 7, DeletionProtection: false, DeleteAutomatedBackups: true }),
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RetentionInDays: 7 }) });
    // The secret belongs to the cluster: RDS deletes it with it.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('no reader, so no replica lag alarm', () => {
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    expect(database.alarms.map(a => a.node.id)).toEqual(['CpuAlarm', 'FreeableMemoryAlarm', 'ConnectionsAlarm', 'AcuUtilizationAlarm']);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });
});

describe('SecureDatabase options', () => {
  test('provisioned with two readers: the instance class everywhere, thresholds from its memory, no ACU alarm', () => {
    const { stack, database } = workload('dev', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), readers: 2 });
    const template = Template.fromStack(stack);
    expect(clusterOf(template).Properties.ServerlessV2ScalingConfiguration).toBeUndefined();
    expect(Object.values(template.findResources('AWS::RDS::DBInstance')).map(i => i.Properties.DBInstanceClass)).toEqual(['db.r6g.large', 'db.r6g.large', 'db.r6g.large']);
    // 16 GiB: max_connections 1,802, 80% of it; 10% of the memory free.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 1441 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeableMemory', Threshold: Math.round(16 * GiB * 0.1) });
    expect(database.alarms.map(a => a.node.id)).toEqual(['CpuAlarm', 'FreeableMemoryAlarm', 'ConnectionsAlarm', 'ReplicaLagAlarm']);
  });

  test('a provisioned class without known memory needs monitoring.instanceMemoryGiB', () => {
    const props = { instanceType: ec2.InstanceType.of(ec2.InstanceClass.X2G, ec2.InstanceSize.LARGE) };
    expect(() => workload('dev', props)).toThrow(
      'SecureDatabase at dev/Workload/Ledger: the memory of instance type x2g.large is not known here, so the memory and connection alarms have no threshold; ' +
      'set monitoring.instanceMemoryGiB to its memory in GiB');
    const { stack } = workload('dev', { ...props, monitoring: { instanceMemoryGiB: 32, connectionsPercent: 50 } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 1802 });
  });

  test('own key, capacity, rotation, backups, port, name and thresholds; monitoring off', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2 });
    const dataKey = new DataKey(stack, 'Shared');
    const database = new SecureDatabase(stack, 'Ledger', {
      vpc,
      dataKey,
      nameBase: 'payments',
      defaultDatabaseName: 'payments',
      masterUsername: 'owner',
      serverlessV2MinCapacity: 2,
      serverlessV2MaxCapacity: 8,
      secretRotation: Duration.days(7),
      backupRetention: Duration.days(14),
      port: 5433,
      monitoring: { cpuPercent: 70, replicaLag: Duration.seconds(5) },
      readers: 1,
    });
    const quiet = new SecureDatabase(stack, 'Archive', { vpc, monitoring: { enabled: false } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'ledger-payments-dev',
      DatabaseName: 'payments',
      MasterUsername: 'owner',
      Port: 5433,
      BackupRetentionPeriod: 14,
      KmsKeyId: stack.resolve(dataKey.key.keyArn),
      ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 8 },
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 70 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLagMaximum', Threshold: 5000 });
    // A 2 ACU minimum lifts the 2,000 cap: 8 ACU gives 1,669 connections.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: Math.floor(1669 * 0.8) });
    expect(database.dataKey).toBe(dataKey);
    expect(quiet.alarms).toEqual([]);
    expect(stack.node.tryFindChild('LedgerKey')).toBeUndefined();
  });

  test('outside a FintechStage: durable by default, named from the path, with its own removal aspect', () => {
    const app = testApp();
    const stack = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    new SecureDatabase(stack, 'Ledger', { vpc });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({ DBClusterIdentifier: 'plain-ledger', DeletionProtection: true, BackupRetentionPeriod: 35 }),
    });
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
  });
});

describe('SecureDatabase refuses bad input with the path, the problem and the fix', () => {
  const at = 'SecureDatabase at dev/Workload/Ledger';
  const build = (props: Partial<SecureDatabaseProps>, vpcProps?: ec2.VpcProps) => {
    const stack = stackIn(testApp(), 'dev');
    const vpc = vpcProps ? new ec2.Vpc(stack, 'Vpc', vpcProps) : new FintechVpc(stack, 'Network', { maxAzs: 2 });
    return new SecureDatabase(stack, 'Ledger', { vpc, ...props });
  };

  test.each([
    [ec2.SubnetType.PUBLIC, 'public subnets (dev/Workload/Network/PublicSubnet1, dev/Workload/Network/PublicSubnet2)'],
    [ec2.SubnetType.PRIVATE_WITH_EGRESS, 'private with egress subnets (dev/Workload/Network/PrivateSubnet1, dev/Workload/Network/PrivateSubnet2)'],
  ])('subnets of type %s', (subnetType, what) => {
    expect(() => build({ vpcSubnets: { subnetType } })).toThrow(`${at}: vpcSubnets select ${what}, which route to the internet: ` +
      'a database there is one security group mistake away from it (C17). Drop vpcSubnets, or select { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.');
  });

  test('a VPC without isolated subnets', () => {
    expect(() => build({}, { maxAzs: 2 })).toThrow(new RegExp(`^${at}: vpcSubnets select no subnets of dev/Workload/Vpc .*give the VPC isolated subnets`));
  });

  test.each([
    [{ serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 }, 'serverlessV2MinCapacity 8 is above serverlessV2MaxCapacity 4; lower the minimum or raise the maximum.'],
    [{ serverlessV2MinCapacity: -1 }, 'serverlessV2MinCapacity -1 is outside Aurora\'s range; use 0 to 256 ACU in steps of 0.5, e.g. 0.5.'],
    [{ serverlessV2MinCapacity: 0.3 }, 'serverlessV2MinCapacity 0.3 is outside Aurora\'s range; use 0 to 256 ACU in steps of 0.5'],
    [{ serverlessV2MaxCapacity: 300 }, 'serverlessV2MaxCapacity 300 is outside Aurora\'s range; use 1 to 256 ACU in steps of 0.5, e.g. 16.'],
    [{ serverlessV2MaxCapacity: 0.5 }, 'serverlessV2MaxCapacity 0.5 is outside Aurora\'s range'],
    [{ instanceType: new ec2.InstanceType('r6g.large'), serverlessV2MaxCapacity: 8 }, 'serverlessV2MinCapacity and serverlessV2MaxCapacity apply to Serverless v2 instances only'],
    [{ secretRotation: Duration.days(0) }, 'secretRotation 0 days must be whole days from 1 to 1000; use e.g. Duration.days(30), or drop it for that default.'],
    [{ secretRotation: Duration.days(1001) }, 'secretRotation 1001 days must be whole days from 1 to 1000'],
    [{ secretRotation: Duration.hours(36) }, 'secretRotation 1 day 12 hours must be whole days from 1 to 1000'],
    [{ backupRetention: Duration.days(36) }, 'backupRetention 36 days must be whole days from 1 to 35; drop it for the stage\'s default.'],
    [{ readers: 16 }, 'readers 16 must be a whole number from 0 to 15; use 1 for a failover target.'],
    [{ port: 80 }, 'port 80 is not one Aurora accepts; use a whole number from 1150 to 65535, or drop it for 5432.'],
    [{ monitoring: { connectionsPercent: 100 } }, 'monitoring.connectionsPercent 100 is not a percentage above 0 and below 100; use e.g. 80, or drop it for that default.'],
  ] as Array<[Partial<SecureDatabaseProps>, string]>)('%j', (props, message) => {
    expect(() => build(props)).toThrow(`${at}: ${message}`);
  });

  test('a nameBase that RDS refuses as a cluster identifier', () => {
    // PhysicalName accepts both; RDS takes no two hyphens in a row, and 63 characters at most where PhysicalName allows 64.
    expect(() => build({ nameBase: 'a--b' })).toThrow(`${at}: cluster identifier "ledger-a--b-dev" is not one RDS accepts (at most 63 letters, digits and hyphens, ` +
      'starting with a letter, no two hyphens in a row); set a shorter nameBase that starts with a letter, e.g. "ledger".');
    expect(() => build({ nameBase: 'x'.repeat(60) })).toThrow(new RegExp(`^${at}: cluster identifier "ledger-x+-[0-9a-f]{8}-dev" is not one RDS accepts`));
    expect(build({ nameBase: 'x'.repeat(50) }).clusterName).toHaveLength(61);
  });

  test.each([ec2.Peer.anyIpv4(), ec2.Peer.anyIpv6(), ec2.Peer.ipv4('0.0.0.0/0')])('allowFrom(%s), open to the world', peer => {
    const database = build({});
    expect(() => database.allowFrom(peer)).toThrow(`${at}: allowFrom(${peer.uniqueId}) would open the database port to the whole internet; ` +
      'pass the security group, function or service that connects (allowFrom(service)), or a VPC-internal CIDR.');
  });

  test('allowFrom a VPC-internal CIDR adds that one rule; grantConnect refuses a user name PostgreSQL would not have', () => {
    const database = build({});
    database.allowFrom(ec2.Peer.ipv4('10.0.0.0/16'));
    Template.fromStack(Stack.of(database)).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: Match.anyValue() }],
    });
    const role = new iam.Role(Stack.of(database), 'App', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => database.grantConnect(role, 'app user')).toThrow(`${at}: grantConnect dbUser "app user" is not a PostgreSQL user name`);
  });
});

test('FintechChecks reports nothing on SecureDatabase in durable and ephemeral stages, serverless and provisioned', () => {
  const app = testApp();
  workload('prod', {}, app);
  workload('dev', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), readers: 1 }, app);
  const { violations } = synthReport(app);
  expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
});
