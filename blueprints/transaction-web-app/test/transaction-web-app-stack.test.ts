import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import config from '../src/fintech.config.json';
import { APP_ROLE, DATABASE_NAME, TransactionWebAppStack, WEB_DOMAINS_FILE, WebAppDomain } from '../src/transaction-web-app-stack';
import { FintechPlatformConfig, FintechSynthesis, FintechTestApp, UnsetInput } from 'fintech-infra-template';

// The project's own team and tags, with one ephemeral and one durable stage whatever .projenrc.ts declares; the durable one in
// another region than CloudFront's, so the us-east-1 companions (web ACL, access logs) cross regions as they would for a bank in Europe.
const testConfig: FintechPlatformConfig = {
  ...config,
  environments: [
    { name: 'dev', region: 'us-east-1', durable: false },
    { name: 'prod', region: 'eu-west-1', account: '111122223333', durable: true },
  ],
};

const PROD_DOMAIN: WebAppDomain = {
  domainName: 'pay.example.org',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555',
  originDomainName: 'origin.pay.example.org',
  originCertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/66666666-7777-8888-9999-000000000000',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.org',
};

function synth(): { dev: Template; prod: Template; devStack: TransactionWebAppStack; prodStack: TransactionWebAppStack; result: FintechSynthesis } {
  const app = new FintechTestApp();
  const devStack = new TransactionWebAppStack(app.addStage(testConfig, 'dev'), 'TransactionWebApp');
  const prodStack = new TransactionWebAppStack(app.addStage(testConfig, 'prod'), 'TransactionWebApp', { domain: PROD_DOMAIN });
  const result = FintechTestApp.synthesize(app);
  return { dev: result.template(devStack), prod: result.template(prodStack), devStack, prodStack, result };
}

const { dev, prod, devStack, prodStack, result } = synth();

test('FintechChecks finds nothing, error or warning, in either kind of stage (and in the us-east-1 edge stacks)', () => {
  expect(result.violationSummary).toEqual([]);
  expect(result.findings.filter(f => f.acknowledgedReason !== undefined).map(f => `${f.ruleId} ${f.constructPath}: ${f.acknowledgedReason}`)).toEqual([]);
});

test('a stage outside us-east-1 gets its CloudFront web ACL and access log delivery in us-east-1 stacks, as the README says', () => {
  const edge = result.stacks.filter(stack => stack.region === 'us-east-1' && stack.node.path.startsWith('prod/')).map(stack => stack.stackName).sort();
  expect(edge).toEqual(['prod-Edge', 'prod-TransactionWebApp-EdgeLogs']);
  expect(result.stacks.filter(stack => stack.node.path.startsWith('dev/')).map(stack => stack.stackName)).toEqual(['dev-TransactionWebApp']);
});

test('the database is Aurora PostgreSQL in isolated subnets, encrypted, with IAM authentication, reachable only from the API and the migration', () => {
  prod.hasResourceProperties('AWS::RDS::DBCluster', {
    Engine: 'aurora-postgresql', DatabaseName: DATABASE_NAME, StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, DeletionProtection: true,
  });
  prod.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: prodStack.vpc.isolatedSubnets.map(s => prodStack.resolve(s.subnetId)) });
  prod.allResourcesProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false });
  const ingress = prod.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 5432, ToPort: 5432 } });
  expect(Object.values(ingress).map((r: any) => r.Properties.Description).sort()).toEqual(['The schema migration', 'The transaction API']);
  for (const rule of Object.values(ingress) as any[]) {
    expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
    expect(rule.Properties.CidrIp).toBeUndefined();
  }
});

test('the schema is created on deploy by a custom resource whose function runs in the isolated subnets and reads the master secret', () => {
  prod.hasResourceProperties('Custom::TransactionSchema', {
    MasterSecretArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseB269D8BB'), 'MasterUserSecret.SecretArn'] },
    Host: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'Endpoint.Address'] },
    Port: '5432',
    DatabaseName: DATABASE_NAME,
    AppRole: APP_ROLE,
    SchemaDigest: Match.stringLikeRegexp('^[0-9a-f]{16}$'),
  });
  const migration = prodStack.schemaMigration.node.defaultChild as any;
  const subnets = prod.toJSON().Resources[prodStack.getLogicalId(migration)].Properties.VpcConfig.SubnetIds;
  const isolated = prodStack.vpc.isolatedSubnets.map(s => prodStack.resolve(s.subnetId));
  expect(subnets).toEqual(isolated);
  prod.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ DATABASE_CA_BUNDLE: '/var/runtime/ca-cert.pem' }) },
    Timeout: 120,
  });
  prod.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] })]) },
    Roles: [{ Ref: prodStack.getLogicalId(prodStack.schemaMigration.role!.node.defaultChild as any) }],
  });
});

test('the API tasks start only after the schema exists, and log in as the application role with IAM, never the master user', () => {
  const services = prod.findResources('AWS::ECS::Service');
  const [service] = Object.values(services) as any[];
  expect(service.DependsOn).toEqual(expect.arrayContaining([prodStack.getLogicalId(prodStack.schema.node.defaultChild as any)]));
  prod.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: [Match.objectLike({
      PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
      Environment: [
        { Name: 'DATABASE_HOST', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'Endpoint.Address'] } },
        { Name: 'DATABASE_PORT', Value: '5432' },
        { Name: 'DATABASE_NAME', Value: DATABASE_NAME },
        { Name: 'DATABASE_USER', Value: APP_ROLE },
        { Name: 'AWS_REGION', Value: 'eu-west-1' },
      ],
      HealthCheck: Match.objectLike({ Command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/health/live || exit 1'] }),
    })],
  });
  const taskDefinition = JSON.stringify(prod.findResources('AWS::ECS::TaskDefinition'));
  expect(taskDefinition).not.toMatch(/MasterUserSecret|DATABASE_PASSWORD/);
  prod.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({
        Action: 'rds-db:connect',
        Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':dbuser:'), `/${APP_ROLE}`])] },
      })]),
    },
    Roles: [{ Ref: prodStack.getLogicalId(prodStack.api.taskRole.node.defaultChild as any) }],
  });
});

test('the image is built from the app folder at deploy for x86_64; synth only stages the folder (no Docker), as .dockerignore trims it', () => {
  const [definition] = Object.values(prod.findResources('AWS::ECS::TaskDefinition')) as any[];
  expect(JSON.stringify(definition.Properties.ContainerDefinitions[0].Image)).toContain('cdk-hnb659fds-container-assets-111122223333-eu-west-1');
  const outdir = Stage.of(prodStack)!.outdir;
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, `${prodStack.artifactId}.assets.json`), 'utf-8'));
  const images = Object.values(manifest.dockerImages) as any[];
  expect(images).toHaveLength(1);
  expect(images[0].source).toMatchObject({ platform: 'linux/amd64' });
  const staged = fs.readdirSync(path.join(outdir, images[0].source.directory)).sort();
  expect(staged).toEqual(expect.arrayContaining(['Dockerfile', 'package-lock.json', 'package.json', 'main.ts', 'server.ts']));
  expect(staged.filter(file => !/^(Dockerfile|package(-lock)?\.json|[a-z-]+\.ts|\.dockerignore)$/.test(file))).toEqual([]);
});

test('CloudFront serves the front end from the private bucket and /api/* from the load balancer over HTTPS with the secret header', () => {
  prod.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({
      Aliases: ['pay.example.org'],
      ViewerCertificate: Match.objectLike({ AcmCertificateArn: PROD_DOMAIN.certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021' }),
      CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'redirect-to-https' })],
      Origins: Match.arrayWith([Match.objectLike({
        DomainName: 'origin.pay.example.org',
        CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] }),
        OriginCustomHeaders: [Match.objectLike({ HeaderName: 'X-Origin-Verify' })],
      })]),
    }),
  });
  prod.resourceCountIs('Custom::CDKBucketDeployment', 1);
  // A changed front end is invalidated by a call scoped to this distribution (not cloudfront:* on every distribution).
  const invalidation = JSON.stringify(prod.toJSON().Resources[prodStack.getLogicalId(prodStack.node.findChild('FrontendInvalidation').node.findChild('Resource').node.defaultChild as any)].Properties.Create);
  expect(invalidation).toMatch(/\\"service\\":\\"CloudFront\\",\\"action\\":\\"createInvalidation\\"/);
  expect(invalidation).toMatch(/\\"InvalidationBatch\\":\{\\"CallerReference\\":\\"frontend-[0-9a-f]{16}\\",\\"Paths\\":\{\\"Quantity\\":1,\\"Items\\":\[\\"\/\*\\"\]\}\}/);
  prod.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudfront:CreateInvalidation', Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })]) },
  });
  prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: PROD_DOMAIN.originCertificateArn }],
  });
  // No port 80 on a CloudFront-only load balancer; its group admits CloudFront's prefix list only.
  prod.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Port: 80 }, 0);
});

test('with a hosted zone the stack writes alias records for the viewer and origin names', () => {
  prod.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'pay.example.org.', Type: 'A', HostedZoneId: PROD_DOMAIN.hostedZoneId });
  prod.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'pay.example.org.', Type: 'AAAA' });
  prod.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'origin.pay.example.org.', Type: 'A' });
  dev.resourceCountIs('AWS::Route53::RecordSet', 0);
});

test('outputs give the URL and the DNS records to create', () => {
  prod.hasOutput('Url', { Value: 'https://pay.example.org' });
  prod.hasOutput('OriginDnsRecord', Match.anyValue());
  prod.hasOutput('ViewerDnsRecord', Match.anyValue());
});

test('a stage without a domain entry synthesizes with example.com placeholders, marked so that deploy:<stage> refuses it', () => {
  dev.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ Aliases: ['transactions-dev.example.com'] }) });
  expect(UnsetInput.of(devStack)).toEqual([{
    input: 'web-domains.json stages.dev',
    fix: expect.stringMatching(/^add "dev" under "stages" in src\/web-domains\.json with domainName, certificateArn \(an ACM certificate in us-east-1\), originDomainName and originCertificateArn \(one in us-east-1\)/),
  }]);
  expect(dev.toJSON().Metadata['fintech:unset-inputs']).toEqual(UnsetInput.of(devStack));
  expect(UnsetInput.of(prodStack)).toEqual([]);
});

test('a stage with an entry in the domains file gets that domain and no unset input', () => {
  const entry = { ...PROD_DOMAIN, originCertificateArn: PROD_DOMAIN.originCertificateArn.replace('eu-west-1', 'us-east-1') };
  const domainsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'web-domains-')), 'web-domains.json');
  fs.writeFileSync(domainsFile, JSON.stringify({ stages: { dev: entry } }));
  const app = new FintechTestApp();
  const stack = new TransactionWebAppStack(app.addStage(testConfig, 'dev'), 'TransactionWebApp', { domainsFile });
  expect(stack.domain).toEqual(entry);
  expect(UnsetInput.of(stack)).toEqual([]);
});

test('the shipped domains file has no stage yet and says what an entry holds', () => {
  const shipped = JSON.parse(fs.readFileSync(WEB_DOMAINS_FILE, 'utf-8'));
  expect(shipped.stages).toEqual({});
  expect(shipped.$comment).toMatch(/domainName .* certificateArn of an ACM certificate in us-east-1.*originCertificateArn of an ACM certificate in the stage's region/);
});

describe('a domain that cannot deploy fails at synth, naming the field and the fix', () => {
  test.each([
    ['a viewer certificate outside us-east-1', { certificateArn: PROD_DOMAIN.originCertificateArn }, /certificateArn is in eu-west-1, but CloudFront reads certificates in us-east-1 only/],
    ['an origin certificate of another region', { originCertificateArn: PROD_DOMAIN.certificateArn }, /originCertificateArn is in us-east-1, but the load balancer is in eu-west-1/],
    ['a certificate of another account', { originCertificateArn: PROD_DOMAIN.originCertificateArn.replace('111122223333', '999999999999') }, /originCertificateArn belongs to account 999999999999, but the stage deploys to 111122223333/],
    ['a name that is not a DNS name', { domainName: 'https://pay.example.org' }, /domainName "https:\/\/pay.example.org" is not a lower-case DNS name/],
    ['the same name twice', { originDomainName: 'pay.example.org' }, /originDomainName equals domainName/],
    ['a name outside the hosted zone', { originDomainName: 'origin.pay.example.net' }, /originDomainName "origin.pay.example.net" is not in the hosted zone example.org/],
    ['a zone id without its name', { hostedZoneName: undefined }, /hostedZoneId and hostedZoneName go together/],
    ['not an ARN', { certificateArn: 'my-cert' }, /certificateArn "my-cert" is not an ACM certificate ARN/],
  ])('%s', (_, change, message) => {
    const app = new FintechTestApp();
    expect(() => new TransactionWebAppStack(app.addStage(testConfig, 'prod'), 'TransactionWebApp', { domain: { ...PROD_DOMAIN, ...change } }))
      .toThrow(new RegExp(`^TransactionWebAppStack at prod/TransactionWebApp: the domain of this stage cannot deploy: .*${message.source}.*Fix the stage's entry in the domains file`));
  });
});
