import { CfnOutput, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CLOUDFRONT_HOME_REGION, EdgeStack, EdgeWebAclOptions } from './edge-stack';
import { SecureBucket } from '../data/secure-bucket';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import { isWeakCloudFrontPolicy } from '../facts/cloudfront-security-policies';
import { RECOMMENDED_CLOUDFRONT_SECURITY_POLICY } from '../facts/tls-policies';
import { FintechWebAcl, WebAclScope } from '../network/fintech-web-acl';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** The header and secret CloudFront sends to the API origin, so the origin can refuse requests that bypass CloudFront. */
export interface OriginVerifyHeader {
  /** Name of the header, e.g. `X-Origin-Verify`. */
  readonly name: string;
  /**
   * Secret whose value CloudFront sends as the header's value. CloudFormation resolves it (a dynamic reference) in the
   * distribution's stack, so the secret must be in the same account and region as that stack.
   */
  readonly secret: secretsmanager.ISecret;
}

/** The API behind a `SecureDistribution`: an Application Load Balancer (or any HTTPS origin) reached over HTTPS only. */
export interface SecureDistributionApi {
  /** Domain name of the origin, covered by its TLS certificate (e.g. `api-origin.example.com`, aliased to the ALB). */
  readonly domainName: string;

  /**
   * Path pattern CloudFront forwards to the API, uncached, with every method.
   *
   * @default '/api/*'
   */
  readonly pathPattern?: string;

  /**
   * Header with a shared secret added to every request to the origin (origin custom header).
   *
   * @default - no header; the origin cannot tell CloudFront's requests from others
   */
  readonly verifyHeader?: OriginVerifyHeader;
}

/** Properties of a `SecureDistribution`. */
export interface SecureDistributionProps {
  /**
   * ACM certificate in us-east-1 covering `domainNames`. Required: CloudFront enforces a minimum TLS version only with a
   * certificate of your own (on `*.cloudfront.net` it always accepts TLS 1.0).
   */
  readonly certificate: acm.ICertificate;

  /** Domain names viewers use (alternate domain names), covered by `certificate`. */
  readonly domainNames: string[];

  /**
   * Minimum TLS version and ciphers for viewers; policies below TLSv1.2_2021 fail synth.
   *
   * @default - RECOMMENDED_CLOUDFRONT_SECURITY_POLICY (TLSv1.2_2021)
   */
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;

  /**
   * Bucket of the static assets, read through origin access control. A bucket of your own gets a bucket policy statement
   * for this distribution (and, when aws-cdk-lib can edit its key, a key statement for CloudFront in this account).
   *
   * @default - a new private, KMS-encrypted `SecureBucket` `<id>Assets`, readable by this distribution only
   */
  readonly assetsBucket?: s3.IBucket;

  /**
   * Object CloudFront returns for `/`.
   *
   * @default 'index.html'
   */
  readonly defaultRootObject?: string;

  /**
   * The API origin behind `pathPattern`.
   *
   * @default - no API: the distribution serves static assets only
   */
  readonly api?: SecureDistributionApi;

  /**
   * ARN of a CLOUDFRONT web ACL to use instead of creating one (e.g. one that Firewall Manager manages).
   *
   * @default - a `FintechWebAcl` of scope CLOUDFRONT: in this stack when it is in us-east-1, otherwise in the `EdgeStack` of the stage
   */
  readonly webAclArn?: string;

  /**
   * Options of the web ACL this distribution creates (or shares, in an `EdgeStack`); not with `webAclArn`.
   *
   * @default - the `FintechWebAcl` defaults
   */
  readonly webAcl?: EdgeWebAclOptions;

  /**
   * Content-Security-Policy header sent with every response.
   *
   * @default - DEFAULT_CONTENT_SECURITY_POLICY: everything from this origin only, no plugins, no framing
   */
  readonly contentSecurityPolicy?: string;

  /**
   * Edge locations CloudFront serves from.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * Comment shown in the CloudFront console.
   *
   * @default - the construct path
   */
  readonly comment?: string;
}

/**
 * Content security policy for a static single-page app that calls an API on the same origin: scripts, styles, fonts,
 * images and XHR/fetch from this origin only (images also as data: URLs), no plugins, no framing, forms post here only.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'", 'upgrade-insecure-requests',
].join('; ');

// Two years, with subdomains: the max-age the HSTS preload list asks for (hstspreload.org, read 2026-11).
const HSTS_MAX_AGE = Duration.days(730);
const DEFAULT_API_PATH = '/api/*';

/**
 * A CloudFront distribution for a web front end and its API (C18, C19): viewers redirected to HTTPS on every behaviour,
 * a certificate of your own with TLSv1.2_2021 or newer, HTTP/2 and HTTP/3, security response headers (HSTS two years
 * with subdomains, nosniff, frame DENY, strict-origin-when-cross-origin referrer, a content security policy), static
 * assets from a private KMS-encrypted bucket through origin access control, an optional API origin over HTTPS only
 * (TLS 1.2, uncached, with a secret verify header), a WAF web ACL and access logs. The domain name is a stack output.
 *
 * The web ACL: CloudFront accepts only CLOUDFRONT-scope web ACLs, which exist in us-east-1 only. In a stack of us-east-1
 * the distribution gets its own `FintechWebAcl` beside it (`<id>WebAcl`). In a stack of another region it uses the one
 * of the stage's `EdgeStack` (`<stage>/Edge`, us-east-1, one per stage and account, shared by every distribution of the
 * stage with the same `webAcl` options, tagged and removed with the stage): one stack per stage rather than one per
 * distribution keeps WAF's per-ACL charge and the number of stacks down, and the ARN reaches the distribution through
 * aws-cdk-lib's cross-region references (SSM parameters written by a custom resource), so the distribution's stack
 * must be created with `crossRegionReferences: true`; synth fails, naming the stack, when it is not.
 *
 * Access logs: standard logging v2 (`AWS::Logs::DeliverySource`, `DeliveryDestination`, `Delivery`) into a log group
 * under `/aws/vendedlogs/` encrypted with its own `DataKey`, kept a week in ephemeral stages and a year in durable ones.
 * Not legacy standard logging: it needs a bucket with ACLs enabled (CloudFront writes through the awslogsdelivery
 * account's ACL), which a `SecureBucket` forbids. CloudFront accepts the delivery resources only in us-east-1: for a
 * stack elsewhere they go in `<stack id>-EdgeLogs` (us-east-1, created beside the stack, deployed after it), which reads
 * the distribution's ARN through a cross-region reference.
 *
 * The default assets bucket's key lets CloudFront decrypt for this distribution only (`AWS:SourceArn` is its ARN)
 * without a dependency cycle: the origin's domain name is built from the bucket's explicit name, so the distribution
 * does not depend on the bucket, and the key may refer to the distribution.
 */
export class SecureDistribution extends cloudfront.Distribution {
  /** The bucket of the static assets. */
  public readonly assetsBucket: s3.IBucket;
  /** ARN of the web ACL in front of the distribution. */
  public readonly webAclArn: string;
  /** The web ACL this distribution created, when it created one (undefined with `webAclArn`). */
  public readonly webAcl?: FintechWebAcl;
  /** The response headers policy of every behaviour. */
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The encrypted log group that receives the access logs. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The output with the distribution's domain name (`<id>DomainName`). */
  public readonly domainNameOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: SecureDistributionProps) {
    const at = `SecureDistribution at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const stack = Stack.of(scope);
    checkCertificate(at, props.certificate);
    if (!props.domainNames || props.domainNames.length === 0) {
      throw new Error(`${at}: domainNames is empty; pass the domain names viewers use (covered by the certificate), e.g. ['app.example.com'].`);
    }
    const minimumProtocolVersion = props.minimumProtocolVersion ?? RECOMMENDED_CLOUDFRONT_SECURITY_POLICY as cloudfront.SecurityPolicyProtocol;
    if (isWeakCloudFrontPolicy(minimumProtocolVersion) === true) {
      throw new Error(`${at}: minimumProtocolVersion ${minimumProtocolVersion} allows TLS below 1.2 or weak ciphers; use SecurityPolicyProtocol.TLS_V1_2_2021 or newer, or drop it for ${RECOMMENDED_CLOUDFRONT_SECURITY_POLICY}.`);
    }
    if (props.webAclArn !== undefined && props.webAcl !== undefined) {
      throw new Error(`${at}: webAclArn and webAcl are both set; webAcl configures a web ACL this construct creates, so drop one of them.`);
    }
    const region = stack.region;
    if (Token.isUnresolved(region)) {
      throw new Error(`${at}: stack ${stack.node.path} has no region, so synth cannot tell whether its web ACL and logs can live beside it (CloudFront needs them in ${CLOUDFRONT_HOME_REGION}); give the stack an env with a region.`);
    }
    const atHome = region === CLOUDFRONT_HOME_REGION;
    // The documented switch (StackProps.crossRegionReferences); aws-cdk-lib 2.257 keeps it in an internal field only.
    if (!atHome && props.webAclArn === undefined && !(stack as unknown as { _crossRegionReferences?: boolean })._crossRegionReferences) {
      throw new Error(`${at}: stack ${stack.node.path} is in ${region}, so its CLOUDFRONT web ACL lives in ${CLOUDFRONT_HOME_REGION} (the stage's EdgeStack) and its ARN must cross regions; ` +
        'create the stack with crossRegionReferences: true, or pass webAclArn of an existing CLOUDFRONT web ACL.');
    }
    if (props.api?.verifyHeader) checkSecretRegion(at, props.api.verifyHeader.secret, region);

    const webAcl = props.webAclArn === undefined
      ? atHome
        ? new FintechWebAcl(scope, `${id}WebAcl`, { ...props.webAcl, scope: WebAclScope.CLOUDFRONT, description: `Protects the CloudFront distribution ${[scope.node.path, id].filter(Boolean).join('/')}` })
        : EdgeStack.ofStage(scope).webAcl(props.webAcl)
      : undefined;
    const webAclArn = props.webAclArn ?? webAcl!.attrArn;

    // The default bucket's explicit name gives the origin its domain name without a reference to the bucket.
    const ownBucket = props.assetsBucket === undefined;
    const bucketName = ownBucket ? PhysicalName.of(scope, stagePathBase(scope, `${id}-assets`), { kind: NameKind.S3_BUCKET }) : undefined;
    const assetsOrigin = bucketName
      ? new NamedBucketOrigin(`${bucketName}.s3.${region}.${stack.urlSuffix}`)
      : origins.S3BucketOrigin.withOriginAccessControl(props.assetsBucket!);

    const responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(scope, `${id}ResponseHeaders`, {
      comment: `Security headers of ${[scope.node.path, id].filter(Boolean).join('/')}`,
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY, override: true },
      },
    });

    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    if (props.api) {
      const header = props.api.verifyHeader;
      additionalBehaviors[props.api.pathPattern ?? DEFAULT_API_PATH] = {
        origin: new origins.HttpOrigin(props.api.domainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          // A dynamic reference: CloudFormation puts the secret's value in the distribution's configuration, never the template.
          ...(header ? { customHeaders: { [header.name]: header.secret.secretValue.unsafeUnwrap() } } : {}),
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy,
      };
    }

    super(scope, id, {
      comment: props.comment ?? [scope.node.path, id].filter(Boolean).join('/').slice(0, 128),
      certificate: props.certificate,
      domainNames: props.domainNames,
      minimumProtocolVersion,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      defaultRootObject: props.defaultRootObject ?? 'index.html',
      webAclId: webAclArn,
      defaultBehavior: {
        origin: assetsOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy,
      },
      additionalBehaviors,
    });
    this.webAcl = webAcl;
    this.webAclArn = webAclArn;
    this.responseHeadersPolicy = responseHeadersPolicy;

    if (bucketName) {
      const bucket = new SecureBucket(scope, `${id}Assets`, { nameBase: stagePathBase(scope, `${id}-assets`) });
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distributionArn } },
      }));
      bucket.dataKey!.key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['kms:Decrypt'],
        // In a key policy "*" means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distributionArn } },
      }));
      this.assetsBucket = bucket;
    } else {
      this.assetsBucket = props.assetsBucket!;
    }

    this.accessLogGroup = this.deliverAccessLogs(atHome ? scope : EdgeStack.accessLogsOf(stack), atHome ? `${id}AccessLogs` : Names.uniqueId(this));
    this.domainNameOutput = new CfnOutput(scope, `${id}DomainName`, {
      value: this.distributionDomainName,
      description: `Domain name of the CloudFront distribution ${this.node.path}`,
    });
  }

  // Standard logging v2 to an encrypted log group; the delivery resources name this distribution by its ARN.
  private deliverAccessLogs(home: Construct, id: string): logs.ILogGroup {
    const parts = new Construct(home, id);
    const base = `${stagePathBase(this)}-access-logs`;
    // CloudWatch Logs keeps delivery permissions for /aws/vendedlogs/ groups without growing the account's resource policy.
    const logGroupName = `/aws/vendedlogs/cloudfront/${PhysicalName.of(parts, base, { kind: NameKind.LOG_GROUP })}`;
    const { logGroup } = encryptedLogGroup(parts, { aliasBase: base, logGroupName });
    const source = new logs.CfnDeliverySource(parts, 'Source', {
      name: Names.uniqueResourceName(parts, { maxLength: 60, separator: '-' }),
      logType: 'ACCESS_LOGS',
      resourceArn: this.distributionArn,
    });
    const destination = new logs.CfnDeliveryDestination(parts, 'Destination', {
      name: Names.uniqueResourceName(parts, { maxLength: 55, separator: '-' }) + '-dest',
      destinationResourceArn: logGroup.logGroupArn,
      outputFormat: 'json',
    });
    const delivery = new logs.CfnDelivery(parts, 'Delivery', {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.attrArn,
    });
    delivery.addDependency(source);
    return logGroup;
  }
}

/**
 * An S3 origin named by domain name, reached through a new origin access control (SigV4 on every request). The bucket and
 * key policies are written by `SecureDistribution`, once the distribution's ARN exists.
 */
class NamedBucketOrigin extends cloudfront.OriginBase {
  constructor(domainName: string) {
    super(domainName);
  }

  public bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const control = new cloudfront.S3OriginAccessControl(scope, 'AssetsOriginAccessControl', { signing: cloudfront.Signing.SIGV4_ALWAYS });
    const config = super.bind(scope, options);
    return { ...config, originProperty: { ...config.originProperty!, originAccessControlId: control.originAccessControlId } };
  }

  // An S3 origin with OAC has an empty origin access identity.
  protected renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}

function checkCertificate(at: string, certificate: acm.ICertificate | undefined): void {
  if (!certificate) {
    throw new Error(`${at}: certificate is missing; CloudFront enforces a minimum TLS version only with a certificate of your own. ` +
      `Pass an ACM certificate of ${CLOUDFRONT_HOME_REGION} covering domainNames (e.g. acm.Certificate.fromCertificateArn(...)).`);
  }
  const arn = certificate.certificateArn;
  const region = Token.isUnresolved(arn) ? certificateStackRegion(certificate) : regionOfArn(arn);
  if (region !== undefined && region !== CLOUDFRONT_HOME_REGION) {
    throw new Error(`${at}: certificate ${Token.isUnresolved(arn) ? certificate.node.path : arn} is in ${region}, but CloudFront uses ACM certificates of ${CLOUDFRONT_HOME_REGION} only; ` +
      `request or import the certificate in ${CLOUDFRONT_HOME_REGION} and pass that one.`);
  }
}

// The region of a certificate created in this app, when its stack's region is known.
function certificateStackRegion(certificate: acm.ICertificate): string | undefined {
  const region = Stack.of(certificate).region;
  return Token.isUnresolved(region) ? undefined : region;
}

function checkSecretRegion(at: string, secret: secretsmanager.ISecret, region: string): void {
  const arn = secret.secretArn;
  const secretRegion = Token.isUnresolved(arn) ? Stack.of(secret).region : regionOfArn(arn);
  if (!Token.isUnresolved(secretRegion) && secretRegion !== '' && secretRegion !== region) {
    throw new Error(`${at}: api.verifyHeader.secret is in ${secretRegion}, but CloudFormation resolves it in the distribution's stack region ${region}; ` +
      'create the distribution in the secret\'s region (with crossRegionReferences: true) or replicate the secret to that region and pass the replica.');
  }
}

// arn:partition:service:region:account:resource
function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3];
}
