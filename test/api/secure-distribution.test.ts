import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DEFAULT_CONTENT_SECURITY_POLICY, SecureDistribution, SecureDistributionProps } from '../../src/api/secure-distribution';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { SecureBucket } from '../../src/data/secure-bucket';
import { DataKey } from '../../src/encryption/data-key';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG, synthReport, testApp } from '../support/fintech-fixture';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/fms-managed/abcd';

/** A stack `Web` in stage `name` of CONFIG, moved to `region`. */
function webStack(app: App, name: 'dev' | 'prod', region: string, crossRegionReferences = true): Stack {
  const config: FintechPlatformConfig = { ...CONFIG, environments: CONFIG.environments.map(e => (e.name === name ? { ...e, region } : e)) };
  const stage = new FintechStage(app, name, { config, environment: config.environments.find(e => e.name === name)! });
  return new Stack(stage, 'Web', { crossRegionReferences });
}

function site(stack: Stack, props: Partial<SecureDistributionProps> = {}, id = 'Site'): SecureDistribution {
  return new SecureDistribution(stack, id, {
    certificate: acm.Certificate.fromCertificateArn(stack, `${id}Cert`, CERT),
    domainNames: ['app.example.com'],
    ...props,
  });
}

function distributionConfig(stack: Stack): any {
  const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'));
  return distribution.Properties.DistributionConfig;
}

describe('in a us-east-1 stack', () => {
  test('viewers get HTTPS only with TLSv1.2_2021 on the certificate, HTTP/2 and 3, IPv6 and index.html', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack);
    const config = distributionConfig(stack);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: CERT, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(config.Aliases).toEqual(['app.example.com']);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, DefaultRootObject: 'index.html', PriceClass: 'PriceClass_All' });
  });

  test('has its own CLOUDFRONT web ACL in the same stack, with the options given', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack, { webAcl: { requestsPerSecondPerIp: 20, additionalManagedRuleGroups: ['AWSManagedRulesSQLiRuleSet'] } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 1200 }) } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesSQLiRuleSet', VendorName: 'AWS' } } }),
      ]),
    });
    const [aclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
    expect(distributionConfig(stack).WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(stack.node.scope!.node.tryFindChild('Edge')).toBeUndefined();
  });

  test('serves assets from a private KMS bucket through OAC, readable by this distribution only, without a cycle', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    const distribution = site(stack);
    const template = Template.fromStack(stack);
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    const distributionArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]] };
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['ledger-web-site-assets-', { Ref: 'AWS::AccountId' }, '-dev']] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{ Action: 'kms:Decrypt', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Resource: '*', Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } } }]) },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } } })]) },
    });
    const origin = distributionConfig(stack).Origins[0];
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    // The origin names the bucket by its explicit name, not a reference: the key may then refer to the distribution.
    expect(origin.DomainName).toEqual({ 'Fn::Join': ['', ['ledger-web-site-assets-', { Ref: 'AWS::AccountId' }, '-dev.s3.us-east-1.', { Ref: 'AWS::URLSuffix' }]] });
    expect(distribution.assetsBucket.node.path).toBe('dev/Web/SiteAssets');
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
  });

  test('sends the security headers on every behaviour', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack, { api: { domainName: 'origin.example.com' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY, Override: true },
        },
      }),
    });
    const [policyId] = Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const config = distributionConfig(stack);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  test('the content security policy can be replaced', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack, { contentSecurityPolicy: "default-src 'self' https://cdn.example.com" });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({ SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self' https://cdn.example.com", Override: true } }) }),
    });
  });

  test('reaches the API over HTTPS with TLS 1.2, uncached, every method, with the verify header from the secret', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    const secret = new secretsmanager.Secret(stack, 'OriginVerify');
    site(stack, { api: { domainName: 'origin.example.com', verifyHeader: { name: 'X-Origin-Verify', secret } } });
    const config = distributionConfig(stack);
    const api = config.Origins.find((o: any) => o.DomainName === 'origin.example.com');
    expect(api.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const [secretId] = Object.keys(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'));
    expect(api.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] } }]);
    expect(config.CacheBehaviors).toEqual([expect.objectContaining({
      PathPattern: '/api/*',
      TargetOriginId: api.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    })]);
  });

  test('the API path pattern and price class are options', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack, { api: { domainName: 'origin.example.com', pathPattern: '/v1/*' }, priceClass: cloudfront.PriceClass.PRICE_CLASS_100 });
    const config = distributionConfig(stack);
    expect(config.CacheBehaviors[0].PathPattern).toBe('/v1/*');
    expect(config.PriceClass).toBe('PriceClass_100');
  });

  test('without an API it has the assets behaviour only', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack);
    const config = distributionConfig(stack);
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.Origins).toHaveLength(1);
  });

  test('logs access through standard logging v2 to an encrypted log group in the same stack', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack);
    const template = Template.fromStack(stack);
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    template.hasResourceProperties('AWS::Logs::DeliverySource', {
      LogType: 'ACCESS_LOGS',
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: distributionId }])] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/cloudfront/ledger-web-site-access-logs-dev$'),
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 7,
    });
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    template.hasResourceProperties('AWS::Logs::DeliveryDestination', { DestinationResourceArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } });
    template.resourceCountIs('AWS::Logs::Delivery', 1);
  });

  test('outputs the domain name', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack);
    const template = Template.fromStack(stack);
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    template.hasOutput('SiteDomainName', { Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] } });
  });

  test('a bucket of your own is read through OAC', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    const bucket = new s3.Bucket(stack, 'Own', { enforceSSL: true });
    const distribution = site(stack, { assetsBucket: bucket });
    expect(distribution.assetsBucket).toBe(bucket);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } })]) },
    });
    expect(distributionConfig(stack).Origins[0].OriginAccessControlId).toBeDefined();
  });

  test('an existing web ACL is used as given, and none is created', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    const distribution = site(stack, { webAclArn: ACL });
    expect(distributionConfig(stack).WebACLId).toBe(ACL);
    expect(distribution.webAcl).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACL', 0);
  });
});

describe('in a stack of another region', () => {
  test('uses the web ACL of the stage\'s us-east-1 Edge stack, shared by the distributions of the stage', () => {
    const app = testApp();
    const stack = webStack(app, 'prod', 'eu-west-1');
    const first = site(stack);
    const second = site(stack, {}, 'Admin');
    const edge = stack.node.scope!.node.findChild('Edge') as Stack;
    expect(edge.region).toBe('us-east-1');
    expect(edge.stackName).toBe('prod-Edge');
    expect(first.webAcl).toBe(second.webAcl);
    expect(Stack.of(first.webAcl!)).toBe(edge);
    const edgeTemplate = Template.fromStack(edge);
    edgeTemplate.resourceCountIs('AWS::WAFv2::WebACL', 1);
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Tags: Match.arrayWith([{ Key: 'Environment', Value: 'prod' }]) });
    // The ARN arrives through aws-cdk-lib's cross-region reference reader.
    expect(distributionConfig(stack).WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('/cdk/exports/')] });
    expect(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')).toEqual({});
  });

  test('different web ACL options get a web ACL of their own in the Edge stack', () => {
    const stack = webStack(testApp(), 'prod', 'eu-west-1');
    const first = site(stack);
    const second = site(stack, { webAcl: { requestsPerSecondPerIp: 50 } }, 'Admin');
    expect(first.webAcl).not.toBe(second.webAcl);
    Template.fromStack(stack.node.scope!.node.findChild('Edge') as Stack).resourceCountIs('AWS::WAFv2::WebACL', 2);
  });

  test('delivers its access logs from a us-east-1 stack beside it', () => {
    const app = testApp();
    const stack = webStack(app, 'prod', 'eu-west-1');
    site(stack);
    const logsStack = stack.node.scope!.node.findChild('Web-EdgeLogs') as Stack;
    expect(logsStack.region).toBe('us-east-1');
    const template = Template.fromStack(logsStack);
    const [source] = Object.values(template.findResources('AWS::Logs::DeliverySource'));
    expect(source.Properties.LogType).toBe('ACCESS_LOGS');
    // The distribution's ARN, its id read through aws-cdk-lib's cross-region reference reader.
    expect(JSON.stringify(source.Properties.ResourceArn)).toMatch(/:distribution\/".*"Fn::GetAtt":\["ExportsReader[0-9A-F]+","\/cdk\/exports\/prod-Web-EdgeLogs\//);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
    template.resourceCountIs('AWS::Logs::Delivery', 1);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::DeliverySource', 0);
  });

  test('fails without crossRegionReferences, naming the stack and the fix', () => {
    const stack = webStack(testApp(), 'prod', 'eu-west-1', false);
    expect(() => site(stack)).toThrow(/SecureDistribution at prod\/Web\/Site: stack prod\/Web is in eu-west-1.*crossRegionReferences: true, or pass webAclArn/);
  });

  test('with an existing web ACL needs no crossRegionReferences and creates no Edge stack', () => {
    const stack = webStack(testApp(), 'prod', 'eu-west-1', false);
    site(stack, { webAclArn: ACL });
    expect(distributionConfig(stack).WebACLId).toBe(ACL);
    expect(stack.node.scope!.node.tryFindChild('Edge')).toBeUndefined();
  });
});

describe('outside a FintechStage', () => {
  test('the app gets one us-east-1 FintechEdge stack for the web ACL', () => {
    const app = testApp();
    const one = new Stack(app, 'One', { env: { account: '123456789012', region: 'eu-central-1' }, crossRegionReferences: true });
    const two = new Stack(app, 'Two', { env: { account: '123456789012', region: 'eu-central-1' }, crossRegionReferences: true });
    const a = site(one);
    const b = site(two);
    const edge = app.node.findChild('FintechEdge') as Stack;
    expect(edge.region).toBe('us-east-1');
    expect(a.webAcl).toBe(b.webAcl);
    Template.fromStack(edge).resourceCountIs('AWS::WAFv2::WebACL', 1);
  });

  test('a us-east-1 stack keeps everything in itself', () => {
    const app = testApp();
    const stack = new Stack(app, 'Plain', { env: { region: 'us-east-1' } });
    site(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::Logs::DeliverySource', 1);
    expect(app.node.tryFindChild('FintechEdge')).toBeUndefined();
  });
});

describe('bad input fails at synth with the path, the problem and the fix', () => {
  test('no certificate', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    expect(() => new SecureDistribution(stack, 'Site', { domainNames: ['app.example.com'] } as unknown as SecureDistributionProps))
      .toThrow(/SecureDistribution at dev\/Web\/Site: certificate is missing; CloudFront enforces a minimum TLS version only with a certificate of your own/);
  });

  test('a certificate outside us-east-1, by ARN or by its stack', () => {
    const app = testApp();
    const stack = webStack(app, 'dev', 'us-east-1');
    expect(() => site(stack, { certificate: acm.Certificate.fromCertificateArn(stack, 'EuCert', CERT.replace('us-east-1', 'eu-west-1')) }))
      .toThrow(/certificate arn:aws:acm:eu-west-1:.* is in eu-west-1, but CloudFront uses ACM certificates of us-east-1 only/);
    const euStack = new Stack(stack.node.scope!, 'Certs', { env: { region: 'eu-west-1' } });
    const certificate = new acm.Certificate(euStack, 'Cert', { domainName: 'app.example.com' });
    expect(() => site(stack, { certificate }, 'Other')).toThrow(/certificate dev\/Certs\/Cert is in eu-west-1/);
  });

  test('a weak minimum protocol version', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    expect(() => site(stack, { minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 }))
      .toThrow(/minimumProtocolVersion TLSv1.2_2019 allows TLS below 1.2 or weak ciphers; use SecurityPolicyProtocol.TLS_V1_2_2021 or newer/);
  });

  test('a newer policy is accepted', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    site(stack, { minimumProtocolVersion: 'TLSv1.3_2025' as cloudfront.SecurityPolicyProtocol });
    expect(distributionConfig(stack).ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.3_2025');
  });

  test('no domain names', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    expect(() => site(stack, { domainNames: [] })).toThrow(/domainNames is empty/);
  });

  test('webAclArn with webAcl options', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    expect(() => site(stack, { webAclArn: ACL, webAcl: { requestsPerSecondPerIp: 5 } })).toThrow(/webAclArn and webAcl are both set/);
  });

  test('a stack without a region', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    expect(() => site(stack)).toThrow(/stack Agnostic has no region.*give the stack an env with a region/);
  });

  test('a verify secret of another region', () => {
    const stack = webStack(testApp(), 'dev', 'us-east-1');
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Verify', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verify-AbCdEf');
    expect(() => site(stack, { api: { domainName: 'origin.example.com', verifyHeader: { name: 'X-Origin-Verify', secret } } }))
      .toThrow(/api.verifyHeader.secret is in eu-west-1, but CloudFormation resolves it in the distribution's stack region us-east-1/);
  });
});

// aws-cdk-lib lets CloudFront decrypt a bucket of your own with a key statement for every distribution of the account
// (distribution/*), since naming this one would close a cycle; the bucket policy still names this distribution only.
test('a KMS SecureBucket of your own passes the rule pack too, with aws-cdk-lib\'s account-wide CloudFront key statement', () => {
  const app = testApp();
  const stack = webStack(app, 'prod', 'us-east-1');
  const bucket = new SecureBucket(stack, 'Own', { nameBase: 'own-assets' });
  site(stack, { assetsBucket: bucket });
  Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':distribution/*'])] }) } },
      })]),
    },
  });
  const { violations } = synthReport(app);
  expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
});

// Secure by default: the rule pack finds nothing on what the construct creates, in either kind of stage, in either region.
test('FintechChecks reports no error or warning in ephemeral and durable stages, in us-east-1 and elsewhere', () => {
  const app = testApp();
  for (const [name, region] of [['dev', 'us-east-1'], ['prod', 'eu-west-1']] as const) {
    const stack = webStack(app, name, region);
    const secret = new secretsmanager.Secret(stack, 'OriginVerify', { encryptionKey: new DataKey(stack, 'OriginVerifyKey', { aliasBase: 'origin-verify' }).key });
    site(stack, { api: { domainName: 'origin.example.com', verifyHeader: { name: 'X-Origin-Verify', secret } } });
  }
  const { violations } = synthReport(app);
  // Acknowledged findings included: the eu-west-1 distribution's logs, delivered from its EdgeLogs stack, count as logs.
  expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
});
