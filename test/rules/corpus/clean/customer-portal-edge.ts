import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataBucket, dataKey, dataTable, errorRateAlarm, handler, removalFor, serviceLogBucket, tagWorkload } from '../careful-team';

/** CloudFront's web ACLs and certificates live in us-east-1, whatever region the workload runs in. */
const EDGE_ENV = { account: ENV.account, region: 'us-east-1' };

/** The portal's edge protection: a CLOUDFRONT-scope web ACL with AWS's managed rules and a per-address rate limit. */
export class PortalEdgeSecurity extends Stack {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'customer-portal');
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    this.webAcl = new wafv2.CfnWebACL(this, 'PortalAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('customer-portal'),
      rules: [
        {
          name: 'common',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: visibility('common'),
        },
        {
          name: 'bad-inputs',
          priority: 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          visibilityConfig: visibility('bad-inputs'),
        },
        {
          name: 'rate',
          priority: 2,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 3000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate'),
        },
      ],
    });
  }
}

/**
 * The customer portal: a private S3 bucket of static pages and an HTTP API with a JWT authorizer, both behind one
 * CloudFront distribution with the edge stack's web ACL (WAF cannot attach to an HTTP API, so CloudFront carries it); a
 * statement-download function URL that only CloudFront may call (IAM auth, origin access control).
 */
export class CustomerPortal extends Stack {
  constructor(scope: Construct, id: string, stage: string, edge: PortalEdgeSecurity, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'customer-portal');
    const key = dataKey(this, 'Key', stage);
    const topic = alertTopic(this, key);

    const site = dataBucket(this, 'Site', key, stage);
    // CloudFront's standard logs are written with ACLs and SSE-S3: the one bucket of the app that is not on the data key.
    const accessLogs = serviceLogBucket(this, 'EdgeLogs', stage);

    const preferences = dataTable(this, 'Preferences', 'customerId', key, stage);
    const preferencesFn = handler(this, 'PreferencesFn', stage, { environment: { TABLE_NAME: preferences.tableName } });
    preferences.grantReadWriteData(preferencesFn);
    errorRateAlarm(this, 'PreferencesFnErrors', preferencesFn, topic);

    const apiLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
    const api = new apigwv2.HttpApi(this, 'Api', {
      createDefaultStage: false,
      defaultAuthorizer: new authorizers.HttpJwtAuthorizer('Customers', 'https://login.example.com/', { jwtAudience: ['customer-portal'] }),
    });
    api.addRoutes({ path: '/preferences', methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.PUT], integration: new integrations.HttpLambdaIntegration('PreferencesIntegration', preferencesFn) });
    const apiStage = new apigwv2.HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: stage,
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      detailedMetricsEnabled: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(apiLogs) },
    });

    const statements = handler(this, 'DownloadStatement', stage, { timeout: Duration.seconds(20) });
    const statementsUrl = statements.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    errorRateAlarm(this, 'DownloadStatementErrors', statements, topic);

    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate', `arn:aws:acm:us-east-1:${ENV.account}:certificate/portal-${stage}`);
    new cloudfront.Distribution(this, 'Distribution', {
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(`${api.apiId}.execute-api.${this.region}.amazonaws.com`, { originPath: `/${apiStage.stageName}` }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
        '/statements/*': {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(statementsUrl),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        },
      },
      defaultRootObject: 'index.html',
      domainNames: [`portal-${stage}.example.com`],
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      webAclId: edge.webAcl.attrArn,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });
  }
}

/** The edge ACL in us-east-1 and the portal in the workload's region, tied by CDK's cross-region references. */
export function build(app: App, stage: string): void {
  const edge = new PortalEdgeSecurity(app, `PortalEdge-${stage}`, stage, { env: EDGE_ENV, crossRegionReferences: true });
  new CustomerPortal(app, `CustomerPortal-${stage}`, stage, edge, { env: ENV, crossRegionReferences: true });
}
