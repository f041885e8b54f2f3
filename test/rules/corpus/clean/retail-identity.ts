import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ENV, alertTopic, dataKey, isDurable, removalFor, tagWorkload } from '../careful-team';

/** What a variant of the app gets wrong (for the defect corpus). */
export interface RetailIdentityOptions {
  /** Let the deploy role call every CloudFormation action itself, beside assuming the bootstrap roles. */
  readonly broadDeployRole?: boolean;
}

/**
 * Retail customers' identity, as an older app that adopts the rule pack has it: a Cognito user pool with phone sign-in and
 * SMS or authenticator MFA, threat protection enforced; the sign-in domain's CloudFront certificate requested in us-east-1
 * by the (deprecated) DnsValidatedCertificate; and the GitHub Actions OIDC provider with a deploy role that may only
 * assume the CDK bootstrap roles, from this repository's environment for the stage.
 */
export function build(app: App, stage: string, options: RetailIdentityOptions = {}): void {
  const stack = new Stack(app, `RetailIdentity-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'retail-identity');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  new cognito.UserPool(stack, 'Customers', {
    signInAliases: { phone: true, email: true },
    selfSignUpEnabled: false,
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { sms: true, otp: true },
    passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
    featurePlan: cognito.FeaturePlan.PLUS,
    advancedSecurityMode: cognito.AdvancedSecurityMode.ENFORCED,
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
  });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'bank.example.com' });
  new acm.DnsValidatedCertificate(stack, 'SignInCertificate', { domainName: `signin-${stage}.bank.example.com`, hostedZone: zone, region: 'us-east-1' });

  const github = new iam.OpenIdConnectProvider(stack, 'GitHub', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] });
  new iam.Role(stack, 'Deploy', {
    roleName: `retail-identity-deploy-${stage}`,
    assumedBy: new iam.WebIdentityPrincipal(github.openIdConnectProviderArn, {
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:bank/retail-identity:environment:${stage}`,
      },
    }),
    inlinePolicies: {
      cdk: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::${ENV.account}:role/cdk-hnb659fds-*-role-${ENV.account}-${ENV.region}`] }),
          ...(options.broadDeployRole ? [new iam.PolicyStatement({ actions: ['cloudformation:*'], resources: ['*'] })] : []),
        ],
      }),
    },
  });
}
