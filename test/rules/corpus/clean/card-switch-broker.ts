import { App, Duration, Stack } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/** The defects this app can be built with. */
interface Defects {
  readonly brokerOnAwsOwnedKey?: boolean;
  readonly brokerWithoutSubnets?: boolean;
}

/**
 * The card switch's message broker: the legacy authorisation host speaks JMS, so the team runs Amazon MQ for ActiveMQ
 * (L1 only: aws-cdk-lib has no Amazon MQ L2), active/standby across two zones in durable stages, in isolated subnets
 * behind a security group that admits OpenWire over TLS from the switch's clients only, on the team's key, with general
 * and audit logs. Its users' passwords come from Secrets Manager at deploy time. A function consumes the settlement
 * queue through a Lambda event source mapping (which polls from the broker's subnets, reads the credentials secret and
 * describes the broker); the broker keeps what the function cannot process in its own dead-letter queue, as ActiveMQ
 * does, since Lambda offers no on-failure destination for Amazon MQ. The function's error rate and the broker's CPU page
 * the team.
 *
 * Defect options: `brokerOnAwsOwnedKey` leaves the broker on the key AWS owns; `brokerWithoutSubnets` names no subnets, so
 * Amazon MQ places the broker in the account's default VPC.
 */
export function build(app: App, stage: string, { brokerOnAwsOwnedKey = false, brokerWithoutSubnets = false }: Defects = {}): void {
  const stack = new Stack(app, `CardSwitch-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-switch');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'broker', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  for (const [id, service] of [['Secrets', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER], ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
    ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS]] as const) {
    vpc.addInterfaceEndpoint(id, { service });
  }
  const clients = new ec2.SecurityGroup(stack, 'SwitchClients', { vpc, allowAllOutbound: false, description: 'Clients of the card switch broker' });
  const brokerGroup = new ec2.SecurityGroup(stack, 'BrokerGroup', { vpc, allowAllOutbound: false, description: 'Card switch broker: OpenWire over TLS from its clients' });
  brokerGroup.addIngressRule(clients, ec2.Port.tcp(61617), 'OpenWire over TLS');
  clients.addEgressRule(brokerGroup, ec2.Port.tcp(61617), 'OpenWire over TLS');
  clients.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS service endpoints');

  const credentials = new secretsmanager.Secret(stack, 'SwitchUser', {
    encryptionKey: key,
    generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'switch' }), generateStringKey: 'password', excludePunctuation: true, passwordLength: 32 },
    removalPolicy: removalFor(stage),
  });
  const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds;
  const broker = new amazonmq.CfnBroker(stack, 'Broker', {
    brokerName: `card-switch-${stage}`,
    engineType: 'ACTIVEMQ',
    engineVersion: '5.18',
    autoMinorVersionUpgrade: true,
    deploymentMode: isDurable(stage) ? 'ACTIVE_STANDBY_MULTI_AZ' : 'SINGLE_INSTANCE',
    hostInstanceType: 'mq.m5.large',
    publiclyAccessible: false,
    subnetIds: brokerWithoutSubnets ? undefined : isDurable(stage) ? subnets : [subnets[0]],
    securityGroups: brokerWithoutSubnets ? undefined : [brokerGroup.securityGroupId],
    encryptionOptions: brokerOnAwsOwnedKey ? { useAwsOwnedKey: true } : { useAwsOwnedKey: false, kmsKeyId: key.keyArn },
    logs: { general: true, audit: true },
    users: [{
      username: credentials.secretValueFromJson('username').unsafeUnwrap(),
      password: credentials.secretValueFromJson('password').unsafeUnwrap(),
    }],
  });
  broker.applyRemovalPolicy(removalFor(stage));
  // Amazon MQ uses the key for the broker's storage as the caller; its service principal is named in the key policy.
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('mq.amazonaws.com')],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));

  const settle = handler(stack, 'SettleAuthorisations', stage, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [clients],
    timeout: Duration.seconds(30),
  });
  // What Lambda's poller needs for an Amazon MQ source (Lambda Developer Guide, "Using Lambda with Amazon MQ").
  credentials.grantRead(settle);
  settle.addToRolePolicy(new iam.PolicyStatement({ actions: ['mq:DescribeBroker'], resources: [broker.attrArn] }));
  // The L2 EventSourceMapping takes no queue names, which an Amazon MQ source needs: the L1 it is.
  new lambda.CfnEventSourceMapping(stack, 'SettlementQueue', {
    functionName: settle.functionName,
    eventSourceArn: broker.attrArn,
    queues: ['settlements'],
    batchSize: 10,
    sourceAccessConfigurations: [{ type: 'BASIC_AUTH', uri: credentials.secretArn }],
  });

  errorRateAlarm(stack, 'SettleErrors', settle, topic);
  const cpu = new cloudwatch.Metric({
    namespace: 'AWS/AmazonMQ', metricName: 'CpuUtilization', dimensionsMap: { Broker: `card-switch-${stage}-1` }, statistic: 'Average', period: Duration.minutes(5),
  });
  cpu.createAlarm(stack, 'BrokerCpu', {
    alarmDescription: 'The card switch broker runs hot: authorisations queue up, runbook https://wiki.example.com/runbooks/card-switch',
    threshold: 80,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new actions.SnsAction(topic));
}
