import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Which distributions of one template a CloudWatch Logs delivery source (standard logging v2) covers. */
interface LogSources {
  readonly referenced: ReadonlySet<string>;
  /** A delivery source names its resource by a value synth cannot read (a parameter, an import): every distribution may be covered. */
  readonly unknown: boolean;
}

/** A literal object, or undefined for anything else (absent, intrinsic: unknown). */
function literalObject(value: unknown): { readonly [key: string]: unknown } | undefined {
  return TemplateValue.isObject(value) && !TemplateValue.isIntrinsic(value) ? value : undefined;
}

/**
 * C19 for CloudFront, the edge in front of web apps and APIs: every distribution names a WAF web ACL (`WebACLId`) and
 * writes access logs, either standard logs to S3 (`Logging`) or standard logging v2 (an `AWS::Logs::DeliverySource`
 * of the same template whose ResourceArn refers to the distribution). Must not judge: a delivery source whose resource
 * cannot be read (every distribution of its template then counts as logged), intrinsic configurations. Acknowledgeable in
 * durable stages, since Firewall Manager or a central logging stack may attach both from outside this app.
 */
export class DistributionProtection implements FintechRule {
  /** Metadata of `Fintech-C19-DistributionWithoutWebAcl`. */
  public static readonly WEB_ACL: RuleInfo = {
    id: 'Fintech-C19-DistributionWithoutWebAcl',
    catalogId: 'C19',
    title: 'CloudFront distributions are protected by a WAF web ACL',
    description: 'Without a web ACL every request CloudFront accepts reaches the origin: no managed protection against injection, bots and known bad inputs, and no per-client rate limit in front of the payment front end or API. Acknowledgeable in durable stages, since Firewall Manager may attach a web ACL from outside the app.',
    fix: 'Create a wafv2.CfnWebACL with scope CLOUDFRONT in us-east-1 (managed rule groups plus a rate-based rule) and pass its ARN as webAclId to the Distribution; acknowledge with a reason if Firewall Manager attaches one.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C19-DistributionWithoutAccessLogs`. */
  public static readonly ACCESS_LOGS: RuleInfo = {
    id: 'Fintech-C19-DistributionWithoutAccessLogs',
    catalogId: 'C19',
    title: 'CloudFront distributions write access logs',
    description: 'Access logs are the only record of who requested what at the edge, from where and with which result; incident reviews and audits need them, and they cannot be produced after the fact. Logging to S3 or an AWS::Logs::DeliverySource of the same template that refers to the distribution counts. Not judged: distributions of a template with a delivery source whose resource cannot be read.',
    fix: 'Set enableLogging with a logBucket on the Distribution, or add an AWS::Logs::DeliverySource (ACCESS_LOGS) for it with a delivery; acknowledge with a reason if a central stack configures logging.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'DistributionProtection';
  public readonly infos = [DistributionProtection.WEB_ACL, DistributionProtection.ACCESS_LOGS];
  public readonly resourceTypes = ['AWS::CloudFront::Distribution'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const config = literalObject(resource.properties?.DistributionConfig);
    if (!config) return [];
    const findings: RuleFinding[] = [];
    if (config.WebACLId === undefined || config.WebACLId === '') {
      findings.push(findingOn(resource, DistributionProtection.WEB_ACL.id,
        `${resource.type} ${resource.logicalId} has no WebACLId, so requests reach its origins unfiltered and unlimited.`,
        ['Properties/DistributionConfig/WebACLId']));
    }
    const sources = resource.stack.memo('DistributionProtection.logSources', () => logSources(resource.stack));
    if (config.Logging === undefined && !sources.unknown && !sources.referenced.has(resource.logicalId)) {
      findings.push(findingOn(resource, DistributionProtection.ACCESS_LOGS.id,
        `${resource.type} ${resource.logicalId} has no Logging and no AWS::Logs::DeliverySource of its template names it, so it keeps no record of its requests.`,
        ['Properties/DistributionConfig/Logging']));
    }
    return findings;
  }
}

function logSources(stack: StackTemplate): LogSources {
  const referenced = new Set<string>();
  let unknown = false;
  for (const source of stack.resourcesOfType('AWS::Logs::DeliverySource')) {
    const arn = source.properties?.ResourceArn;
    if (typeof arn === 'string') continue;
    const ids = referencedIds(arn);
    // No reference (an import) or one to a parameter: the resource is chosen at deploy time.
    if (ids.length === 0 || ids.some(id => !stack.resource(id))) unknown = true;
    ids.forEach(id => referenced.add(id));
  }
  return { referenced, unknown };
}

/** Logical ids a value refers to through `Ref` or `Fn::GetAtt`, at any depth (pseudo parameters left out). */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!TemplateValue.isObject(value)) return [];
  const target = TemplateValue.referencedId(value);
  if (target !== undefined) return target.startsWith('AWS::') ? [] : [target];
  return Object.values(value).flatMap(referencedIds);
}
