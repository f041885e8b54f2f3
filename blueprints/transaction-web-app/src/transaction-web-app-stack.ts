import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CfnOutput, CustomResource, Duration, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULT_APP_ROLE, transactionSchemaStatements } from './handlers/transaction-schema';
import { FargateWebService, FintechStage, FintechVpc, SecureDatabase, SecureDistribution, TracedFunction, UnsetInput } from 'fintech-infra-template';

/**
 * The names and certificates of one stage: viewers reach CloudFront at `domainName`; CloudFront reaches the load balancer at
 * `originDomainName` over HTTPS. Both names need DNS records: the stack writes them when given a hosted zone, otherwise its
 * outputs say what to point where.
 */
export interface WebAppDomain {
  /** The name viewers use, e.g. `pay.example.com`. */
  readonly domainName: string;
  /** ARN of an ACM certificate in us-east-1 (CloudFront reads certificates there only) that covers `domainName`. */
  readonly certificateArn: string;
  /** The name CloudFront connects to the load balancer by, e.g. `origin.pay.example.com`; never shown to viewers. */
  readonly originDomainName: string;
  /** ARN of an ACM certificate in the stack's region that covers `originDomainName` (the load balancer's HTTPS listener). */
  readonly originCertificateArn: string;
  /**
   * A Route 53 public hosted zone holding both names: the stack writes an alias record for each.
   *
   * @default - no records; create them from the stack's outputs
   */
  readonly hostedZoneId?: string;
  /**
   * The domain of `hostedZoneId`, e.g. `example.com`.
   *
   * @default - none; required with `hostedZoneId`
   */
  readonly hostedZoneName?: string;
}

/** Options of `TransactionWebAppStack`. */
export interface TransactionWebAppStackProps extends StackProps {
  /**
   * Names and certificates of this stage.
   *
   * @default - the stage's entry in `web-domains.json` beside this file; without one, example.com placeholders that `deploy:<stage>` refuses
   */
  readonly domain?: WebAppDomain;

  /**
   * The JSON file of per-stage domains read when `domain` is not given: `{ "stages": { "<stage>": WebAppDomain } }`.
   *
   * @default WEB_DOMAINS_FILE, `web-domains.json` beside this file
   */
  readonly domainsFile?: string;

  /**
   * Run the schema migration on AWS's Powertools layer of the version this repo pins (see `TracedFunction`). Set it to
   * false in AWS GovCloud (US) or China, where AWS does not publish the layer.
   *
   * @default true
   */
  readonly powertoolsLayer?: boolean;

  /**
   * Requests per second one client IP may send before the web ACLs (CloudFront's and the load balancer's) block it.
   *
   * @default 10
   */
  readonly requestsPerSecondPerIp?: number;
}

/** The database the API uses, created with the cluster. */
export const DATABASE_NAME = 'transactions';
/** The role the API logs in as (IAM authentication only, SELECT and INSERT on the table). */
export const APP_ROLE = DEFAULT_APP_ROLE;
/** The port the API container listens on (the Dockerfile's EXPOSE). */
export const CONTAINER_PORT = 8080;
const DATABASE_PORT = 5432;
/** The file of per-stage domains `TransactionWebAppStack` reads when no `domain` is given. */
export const WEB_DOMAINS_FILE = path.join(__dirname, 'web-domains.json');
// ACM certificate ARNs: arn:<partition>:acm:<region>:<account>:certificate/<id>
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[A-Za-z0-9-]+$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A transaction web app (seed 002's workload, done right): a static front end in a private bucket and a containerised API,
 * both behind one CloudFront distribution (WAF, TLS 1.2+, security headers, access logs); the API on Fargate behind a
 * load balancer that answers CloudFront only (its prefix list and a secret header); Aurora PostgreSQL in isolated
 * subnets, reachable only from the API's tasks and the schema migration, which runs on every deploy as a custom resource
 * and creates the table and the API's role; the API logs in with IAM tokens as that role, never as the master user.
 */
export class TransactionWebAppStack extends Stack {
  public readonly vpc: FintechVpc;
  public readonly database: SecureDatabase;
  public readonly schemaMigration: TracedFunction;
  public readonly schema: CustomResource;
  public readonly api: FargateWebService;
  public readonly distribution: SecureDistribution;
  public readonly domain: WebAppDomain;

  constructor(scope: Construct, id: string, props: TransactionWebAppStackProps = {}) {
    // The distribution's web ACL and access logs live in us-east-1; from another region their ARNs cross regions.
    super(scope, id, { crossRegionReferences: true, ...props });
    const stage = FintechStage.of(this);
    const at = `TransactionWebAppStack at ${this.node.path}`;
    this.domain = props.domain ?? domainOfStage(this, stage.environmentName, props.domainsFile ?? WEB_DOMAINS_FILE);
    checkDomain(at, this.domain, this.region, this.account);
    const requestsPerSecondPerIp = props.requestsPerSecondPerIp ?? 10;

    this.vpc = new FintechVpc(this, 'Network', { containerImageEndpoints: true });
    this.database = new SecureDatabase(this, 'Database', { vpc: this.vpc, defaultDatabaseName: DATABASE_NAME, port: DATABASE_PORT });

    // The schema, created on deploy: a function in the isolated subnets (the database and the Secrets Manager endpoint,
    // nothing else) runs the idempotent DDL whenever the statements change.
    this.schemaMigration = new TracedFunction(this, 'SchemaMigration', {
      entry: path.join(__dirname, 'handlers', 'schema-migration.ts'),
      nameBase: 'schema-migration',
      serviceName: 'transaction-web-app',
      powertoolsLayer: props.powertoolsLayer ?? true,
      timeout: Duration.minutes(2),
      // Invoked by the custom resource provider only, which waits for the answer.
      asynchronousInvocation: false,
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      // The Lambda runtime's bundle of Amazon certificate authorities, RDS's among them: the migration verifies the cluster.
      environment: { DATABASE_CA_BUNDLE: '/var/runtime/ca-cert.pem' },
      description: 'Creates and updates the transaction schema and the API\'s database role on deploy',
    });
    this.database.allowFrom(this.schemaMigration, 'The schema migration');
    this.database.grantMasterSecretRead(this.schemaMigration);
    const provider = new cr.Provider(this, 'SchemaMigrationProvider', { onEventHandler: this.schemaMigration });
    const statements = transactionSchemaStatements(APP_ROLE);
    this.schema = new CustomResource(this, 'Schema', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TransactionSchema',
      properties: {
        MasterSecretArn: this.database.masterSecret.secretArn,
        Host: this.database.clusterEndpoint.hostname,
        Port: String(DATABASE_PORT),
        DatabaseName: DATABASE_NAME,
        AppRole: APP_ROLE,
        // A new digest when the statements change: CloudFormation then updates the resource, which runs them again.
        SchemaDigest: createHash('sha256').update(statements.join(';\n')).digest('hex').slice(0, 16),
      },
    });
    // The writer must be up before the migration connects.
    this.schema.node.addDependency(this.database);

    this.api = new FargateWebService(this, 'Api', {
      vpc: this.vpc,
      // Built by Docker at deploy (synth only stages the folder); the tasks run on x86_64.
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'app'), { platform: Platform.LINUX_AMD64 }),
      certificate: acm.Certificate.fromCertificateArn(this, 'OriginCertificate', this.domain.originCertificateArn),
      containerPort: CONTAINER_PORT,
      // The load balancer asks /health, which checks the database; the container's own check asks /health/live, so a
      // database outage takes the tasks out of the target group without ECS replacing them in a loop.
      healthCheckPath: '/health',
      containerHealthCheck: {
        command: ['CMD-SHELL', `wget -q -O /dev/null http://127.0.0.1:${CONTAINER_PORT}/health/live || exit 1`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      cloudFrontOnly: true,
      requestsPerSecondPerIp,
      environment: {
        DATABASE_HOST: this.database.clusterEndpoint.hostname,
        DATABASE_PORT: String(DATABASE_PORT),
        DATABASE_NAME,
        DATABASE_USER: APP_ROLE,
        AWS_REGION: this.region,
      },
    });
    this.database.allowFrom(this.api.service, 'The transaction API');
    this.database.grantConnect(this.api.taskRole, APP_ROLE);
    // Tasks start once their database role exists; otherwise the first deploy's health checks fail and the circuit breaker rolls back.
    this.api.service.node.addDependency(this.schema);

    this.distribution = new SecureDistribution(this, 'Distribution', {
      certificate: acm.Certificate.fromCertificateArn(this, 'ViewerCertificate', this.domain.certificateArn),
      domainNames: [this.domain.domainName],
      webAcl: { requestsPerSecondPerIp },
      api: {
        domainName: this.domain.originDomainName,
        pathPattern: '/api/*',
        verifyHeader: { name: FargateWebService.ORIGIN_VERIFY_HEADER, secret: this.api.originVerifySecret! },
      },
    });
    const frontend = path.join(__dirname, 'frontend');
    const deployment = new s3deploy.BucketDeployment(this, 'Frontend', {
      sources: [s3deploy.Source.asset(frontend)],
      destinationBucket: this.distribution.assetsBucket,
    });
    // The invalidation of a changed front end, by a call allowed on this distribution only (BucketDeployment's own would
    // grant cloudfront:CreateInvalidation on every distribution of the account).
    const frontendDigest = `frontend-${digestOfFolder(frontend)}`;
    const invalidation = new cr.AwsCustomResource(this, 'FrontendInvalidation', {
      onUpdate: {
        service: 'CloudFront',
        action: 'createInvalidation',
        parameters: {
          DistributionId: this.distribution.distributionId,
          InvalidationBatch: { CallerReference: frontendDigest, Paths: { Quantity: 1, Items: ['/*'] } },
        },
        physicalResourceId: cr.PhysicalResourceId.of(frontendDigest),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [this.distribution.distributionArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    invalidation.node.addDependency(deployment);

    if (this.domain.hostedZoneId) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: this.domain.hostedZoneId, zoneName: this.domain.hostedZoneName! });
      const viewer = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'ViewerRecord', { zone, recordName: this.domain.domainName, target: viewer });
      new route53.AaaaRecord(this, 'ViewerRecordIpv6', { zone, recordName: this.domain.domainName, target: viewer });
      new route53.ARecord(this, 'OriginRecord', {
        zone,
        recordName: this.domain.originDomainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.api.loadBalancer)),
      });
    }

    new CfnOutput(this, 'Url', { value: `https://${this.domain.domainName}`, description: 'The transaction web app' });
    new CfnOutput(this, 'ViewerDnsRecord', {
      value: `${this.domain.domainName} -> ${this.distribution.distributionDomainName}`,
      description: 'DNS: an alias (or CNAME) from the viewer name to the distribution',
    });
    new CfnOutput(this, 'OriginDnsRecord', {
      value: `${this.domain.originDomainName} -> ${this.api.loadBalancer.loadBalancerDnsName}`,
      description: 'DNS: an alias (or CNAME) from the origin name to the load balancer',
    });
    new CfnOutput(this, 'ClusterName', { value: this.database.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.api.service.serviceName });
    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.api.loadBalancer.loadBalancerDnsName });
  }
}

/** A short digest of the files of `folder`, names and contents: it changes exactly when the folder does. */
function digestOfFolder(folder: string): string {
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(folder).sort()) hash.update(file).update('\0').update(fs.readFileSync(path.join(folder, file))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The stage's entry of `web-domains.json`; without one, example.com placeholders, marked as unset inputs so that
 * `deploy:<stage>` refuses the stack before deploying, naming the entry to add (synth and tests work offline).
 */
function domainOfStage(stack: Stack, stageName: string, domainsFile: string): WebAppDomain {
  const file = JSON.parse(fs.readFileSync(domainsFile, 'utf-8')) as { stages?: { [stage: string]: WebAppDomain } };
  const entry = file.stages?.[stageName];
  if (entry) return entry;
  const name = path.relative(path.dirname(__dirname), domainsFile).split(path.sep).join('/');
  UnsetInput.record(stack, {
    input: `${path.basename(domainsFile)} stages.${stageName}`,
    fix: `add "${stageName}" under "stages" in ${name} with domainName, certificateArn (an ACM certificate in us-east-1), ` +
      `originDomainName and originCertificateArn (one in ${stack.region}); the README's transaction-web-app section shows an entry.`,
  });
  const account = Token.isUnresolved(stack.account) ? '123456789012' : stack.account;
  return {
    domainName: `transactions-${stageName}.example.com`,
    certificateArn: `arn:aws:acm:us-east-1:${account}:certificate/00000000-0000-0000-0000-000000000000`,
    originDomainName: `origin.transactions-${stageName}.example.com`,
    originCertificateArn: `arn:aws:acm:${stack.region}:${account}:certificate/00000000-0000-0000-0000-000000000000`,
  };
}

/** Throws naming the field, what is wrong and the fix, for a domain that cannot deploy in this stack. */
function checkDomain(at: string, domain: WebAppDomain, region: string, account: string): void {
  const problems: string[] = [];
  for (const field of ['domainName', 'originDomainName'] as const) {
    if (typeof domain[field] !== 'string' || !HOST_NAME.test(domain[field])) problems.push(`${field} "${domain[field]}" is not a lower-case DNS name such as pay.example.com`);
  }
  if (domain.domainName === domain.originDomainName) problems.push('originDomainName equals domainName; give the load balancer a name of its own, such as origin.<domainName>');
  const certificates = [['certificateArn', 'us-east-1'], ['originCertificateArn', region]] as const;
  for (const [field, wantedRegion] of certificates) {
    const match = CERTIFICATE_ARN.exec(domain[field] ?? '');
    if (!match) {
      problems.push(`${field} "${domain[field]}" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)`);
      continue;
    }
    if (!Token.isUnresolved(wantedRegion) && match[1] !== wantedRegion) {
      problems.push(`${field} is in ${match[1]}, but ${field === 'certificateArn' ? 'CloudFront reads certificates in us-east-1 only' : `the load balancer is in ${wantedRegion}`}; request or import it in ${wantedRegion}`);
    }
    if (!Token.isUnresolved(account) && match[2] !== account) problems.push(`${field} belongs to account ${match[2]}, but the stage deploys to ${account}`);
  }
  if ((domain.hostedZoneId === undefined) !== (domain.hostedZoneName === undefined)) problems.push('hostedZoneId and hostedZoneName go together; give both or neither');
  if (domain.hostedZoneName) {
    for (const field of ['domainName', 'originDomainName'] as const) {
      if (!`.${domain[field]}`.endsWith(`.${domain.hostedZoneName}`)) problems.push(`${field} "${domain[field]}" is not in the hosted zone ${domain.hostedZoneName}`);
    }
  }
  if (problems.length > 0) throw new Error(`${at}: the domain of this stage cannot deploy: ${problems.join('; ')}. Fix the stage's entry in the domains file (src/web-domains.json unless domainsFile says otherwise) or the domain prop.`);
}
