import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FintechVpc, SecureDatabase } from '../src';
import { integStage } from './integ-stage';

// A deployed SecureDatabase in the ephemeral integ stage is encrypted, authenticates with IAM, can be deleted with its stack,
// has no public instance, sits in subnets with no route out, and its RDS-managed master secret rotates.
const app = new App();
const stage = integStage(app, 'databases', 'platform-alerts@example.com');
const stack = new Stack(stage, 'SecureDatabase');
const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2 });
const database = new SecureDatabase(stack, 'Ledger', { vpc, nameBase: 'ledger' });
// A client group inside the VPC: the one ingress rule the database gets.
database.allowFrom(new ec2.SecurityGroup(stack, 'Clients', { vpc, allowAllOutbound: false }));

const integ = new IntegTest(app, 'SecureDatabaseInteg', { testCases: [stack], regions: [stage.environment.region] });

// The cluster identifier is a plain string (PhysicalName), so the assertions need no reference into the stage's stack.
const clusters = integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: database.clusterName });
clusters.expect(ExpectedResult.objectLike({
  DBClusters: [Match.objectLike({
    DBClusterIdentifier: database.clusterName,
    Engine: 'aurora-postgresql',
    StorageEncrypted: true,
    IAMDatabaseAuthenticationEnabled: true,
    // Ephemeral: the stack's deletion removes the cluster.
    DeletionProtection: false,
    MasterUserSecret: Match.objectLike({ SecretStatus: 'active' }),
  })],
}));

integ.assertions
  .awsApiCall('RDS', 'describeDBInstances', { Filters: [{ Name: 'db-cluster-id', Values: [database.clusterName] }] })
  .expect(ExpectedResult.objectLike({ DBInstances: [Match.objectLike({ DBInstanceClass: 'db.serverless', PubliclyAccessible: false })] }));

// The subnets the cluster uses, as RDS reports them.
const subnetGroupName = clusters.getAttString('DBClusters.0.DBSubnetGroup');
const subnetGroups = integ.assertions.awsApiCall('RDS', 'describeDBSubnetGroups', { DBSubnetGroupName: subnetGroupName });
const subnetIds = [0, 1].map(i => subnetGroups.getAttString(`DBSubnetGroups.0.Subnets.${i}.SubnetIdentifier`));

// Their route tables exist...
integ.assertions
  .awsApiCall('EC2', 'describeRouteTables', { Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] })
  .expect(ExpectedResult.objectLike({ RouteTables: Match.arrayWith([Match.objectLike({ VpcId: Match.stringLikeRegexp('^vpc-') })]) }));
// ...and none of them has a default route (to an internet or NAT gateway, or anywhere else).
for (const filter of [{ Name: 'route.destination-cidr-block', Values: ['0.0.0.0/0'] }, { Name: 'route.destination-ipv6-cidr-block', Values: ['::/0'] }]) {
  integ.assertions
    .awsApiCall('EC2', 'describeRouteTables', { Filters: [{ Name: 'association.subnet-id', Values: subnetIds }, filter] })
    .expect(ExpectedResult.objectLike({ RouteTables: [] }));
}

// RDS created the master secret, encrypted it with the database's key and rotates it on the construct's 30-day schedule.
integ.assertions
  .awsApiCall('SecretsManager', 'describeSecret', { SecretId: clusters.getAttString('DBClusters.0.MasterUserSecret.SecretArn') })
  .expect(ExpectedResult.objectLike({
    RotationEnabled: true,
    OwningService: 'rds',
    RotationRules: Match.objectLike({ ScheduleExpression: 'rate(30 days)' }),
  }));

app.synth();
