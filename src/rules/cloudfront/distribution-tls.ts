import { CLOUDFRONT_DEFAULT_SECURITY_POLICY, isWeakCloudFrontPolicy } from '../../facts/cloudfront-security-policies';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';


/**
 * C18 for CloudFront: no cache behavior serves viewers over plain HTTP (`ViewerProtocolPolicy` allow-all, which aws-cdk-lib's
 * Distribution uses by default), and a distribution with its own certificate requires TLSv1.2_2021 or newer
 * (`MinimumProtocolVersion`; unset means TLSv1). Must not judge: distributions on the default `*.cloudfront.net`
 * certificate (CloudFront fixes their policy at TLSv1 and no setting changes it), policy names outside
 * `src/facts/cloudfront-security-policies.ts`, the protocol to the origin (S3 website origins only speak HTTP), intrinsics.
 */
export class DistributionTls implements FintechRule {
  /** Metadata of `Fintech-C18-DistributionAllowsHttp`. */
  public static readonly ALLOWS_HTTP: RuleInfo = {
    id: 'Fintech-C18-DistributionAllowsHttp',
    catalogId: 'C18',
    title: 'CloudFront serves viewers over HTTPS only',
    description: 'ViewerProtocolPolicy allow-all (the default of a CDK Distribution behavior) serves pages, scripts and API responses over plain HTTP too, where anyone on the path can read or rewrite them, e.g. inject a script into a payment page. Judged on the default and every added cache behavior. Not judged: the protocol to origins (S3 website origins only speak HTTP), intrinsic configurations.',
    fix: 'Set viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS (or HTTPS_ONLY) on every behavior of the distribution.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C18-WeakDistributionTlsPolicy`. */
  public static readonly WEAK_POLICY: RuleInfo = {
    id: 'Fintech-C18-WeakDistributionTlsPolicy',
    catalogId: 'C18',
    title: 'CloudFront distributions with a custom domain require TLSv1.2_2021 or later',
    description: 'A distribution with its own certificate and no MinimumProtocolVersion accepts TLS 1.0; TLSv1.2_2018/2019 still negotiate CBC and SHA-1 cipher suites. PCI DSS requires strong cryptography for cardholder data in transit. Judged only with an ACM or IAM certificate. Not judged: the default *.cloudfront.net certificate (CloudFront fixes its policy and no setting changes it), policy names it does not know.',
    fix: 'Set minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 (or newer) on the Distribution, or turn on the @aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021 feature flag.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'DistributionTls';
  public readonly infos = [DistributionTls.ALLOWS_HTTP, DistributionTls.WEAK_POLICY];
  public readonly resourceTypes = ['AWS::CloudFront::Distribution'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const config = TemplateValue.literalObject(resource.properties?.DistributionConfig);
    if (!config) return [];
    const findings: RuleFinding[] = [];
    const plain: string[] = [];
    const behaviors: Array<[string, unknown]> = [['DefaultCacheBehavior', config.DefaultCacheBehavior]];
    if (Array.isArray(config.CacheBehaviors)) config.CacheBehaviors.forEach((b, i) => behaviors.push([`CacheBehaviors/${i}`, b]));
    for (const [location, behavior] of behaviors) {
      if (TemplateValue.literalObject(behavior)?.ViewerProtocolPolicy === 'allow-all') plain.push(location);
    }
    if (plain.length > 0) {
      findings.push(findingOn(resource, DistributionTls.ALLOWS_HTTP.id,
        `${resource.type} ${resource.logicalId} has ViewerProtocolPolicy "allow-all" in ${plain.join(', ')}, so viewers can fetch its content over plain HTTP.`,
        plain.map(location => `Properties/DistributionConfig/${location}/ViewerProtocolPolicy`)));
    }
    const certificate = TemplateValue.literalObject(config.ViewerCertificate);
    const ownCertificate = certificate && (certificate.AcmCertificateArn !== undefined || certificate.IamCertificateId !== undefined)
      && TemplateValue.booleanOf(certificate.CloudFrontDefaultCertificate) !== true;
    if (certificate && ownCertificate) {
      const version = certificate.MinimumProtocolVersion;
      const policy = version === undefined ? CLOUDFRONT_DEFAULT_SECURITY_POLICY : version;
      if (typeof policy === 'string' && isWeakCloudFrontPolicy(policy)) {
        findings.push(findingOn(resource, DistributionTls.WEAK_POLICY.id,
          `${resource.type} ${resource.logicalId} has ${version === undefined ? `no MinimumProtocolVersion (CloudFront's default is ${policy})` : `MinimumProtocolVersion "${policy}"`} on its own certificate, below TLSv1.2_2021.`,
          ['Properties/DistributionConfig/ViewerCertificate/MinimumProtocolVersion']));
      }
    }
    return findings;
  }
}
