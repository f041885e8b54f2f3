import { StackReferences } from '../cloudwatch/stack-references';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Which distributions of each template the CloudWatch Logs delivery sources (standard logging v2) of the validation cover. */
interface LogSources {
  /** Logical ids of the distributions a delivery source names, by the template they are in. */
  readonly referenced: ReadonlyMap<StackTemplate, ReadonlySet<string>>;
  /** Templates with a delivery source that names its resource by a value synth cannot read (a parameter): every distribution of them may be covered. */
  readonly unknown: ReadonlySet<StackTemplate>;
  /** A delivery source reads its resource from another region through a reference whose writer is not in the validation: any distribution may be covered. */
  readonly unknownAnywhere: boolean;
}

// aws-cdk-lib's cross-region references: the producer's writer puts each value in an SSM parameter of the consumer's region
// (WriterProps.exports, by parameter name) and the consumer's reader returns it as the attribute named after that parameter.
const CROSS_REGION_WRITER = 'Custom::CrossRegionExportWriter';
const CROSS_REGION_READER = 'Custom::CrossRegionExportReader';


/**
 * C19 for CloudFront, the edge in front of web apps and APIs: every distribution names a WAF web ACL (`WebACLId`) and
 * writes access logs, either standard logs to S3 (`Logging`) or standard logging v2 (an `AWS::Logs::DeliverySource`
 * whose ResourceArn refers to the distribution: in its template, in another template through an export, or from us-east-1
 * through aws-cdk-lib's cross-region references, where CloudFront wants the delivery of a distribution whose stack is in
 * another region). Must not judge: a delivery source whose resource cannot be read (every distribution of its template
 * then counts as logged; every distribution of the validation when it reads across regions from a writer outside it),
 * intrinsic configurations. Acknowledgeable in durable stages, since Firewall Manager or a central logging stack may
 * attach both from outside this app.
 */
export class DistributionProtection implements FintechRule {
  /** Metadata of `Fintech-C19-DistributionWithoutWebAcl`. */
  public static readonly WEB_ACL: RuleInfo = {
    id: 'Fintech-C19-DistributionWithoutWebAcl',
    catalogId: 'C19',
    title: 'CloudFront distributions are protected by a WAF web ACL',
    description: 'Without a web ACL every request CloudFront accepts reaches the origin: no managed protection against injection, bots and known bad inputs, and no per-client rate limit in front of the payment front end or API. Acknowledgeable in durable stages, since Firewall Manager may attach a web ACL from outside the app. ' +
      'Not judged: which web ACL WebACLId names (any value counts; Fintech-C19-WebAclWithoutRules and Fintech-C19-WebAclWithoutRateRule ' +
      'judge the web ACLs of the app), intrinsic distribution configurations.',
    fix: 'Create a wafv2.CfnWebACL with scope CLOUDFRONT in us-east-1 (managed rule groups plus a rate-based rule) and pass its ARN as webAclId to the Distribution; acknowledge with a reason if Firewall Manager attaches one.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C19-DistributionWithoutAccessLogs`. */
  public static readonly ACCESS_LOGS: RuleInfo = {
    id: 'Fintech-C19-DistributionWithoutAccessLogs',
    catalogId: 'C19',
    title: 'CloudFront distributions write access logs',
    description: 'Access logs are the only record of who requested what at the edge, from where and with which result; incident reviews and audits need them, and they cannot be produced after the fact. Logging to S3 or an AWS::Logs::DeliverySource that refers to the distribution counts, in its template or another one of the app (through an export, or a cross-region reference from us-east-1). Not judged: distributions of a template with a delivery source whose resource cannot be read.',
    fix: 'Set enableLogging with a logBucket on the Distribution, or add an AWS::Logs::DeliverySource (ACCESS_LOGS) for it with a delivery; acknowledge with a reason if a central stack configures logging.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'DistributionProtection';
  public readonly infos = [DistributionProtection.WEB_ACL, DistributionProtection.ACCESS_LOGS];
  public readonly resourceTypes = ['AWS::CloudFront::Distribution'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const config = TemplateValue.literalObject(resource.properties?.DistributionConfig);
    if (!config || (config.WebACLId !== undefined && config.WebACLId !== '')) return [];
    return [findingOn(resource, DistributionProtection.WEB_ACL.id,
      `${resource.type} ${resource.logicalId} has no WebACLId, so requests reach its origins unfiltered and unlimited.`,
      ['Properties/DistributionConfig/WebACLId'])];
  }

  // A delivery source may be in another template than its distribution (us-east-1 for a stack of another region): judged together.
  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const findings: RuleFinding[] = [];
    let sources: LogSources | undefined;
    for (const stack of stacks) {
      for (const resource of stack.resourcesOfType('AWS::CloudFront::Distribution')) {
        const config = TemplateValue.literalObject(resource.properties?.DistributionConfig);
        if (!config || config.Logging !== undefined) continue;
        sources ??= logSources(stacks);
        if (sources.unknownAnywhere || sources.unknown.has(stack) || sources.referenced.get(stack)?.has(resource.logicalId)) continue;
        findings.push(findingOn(resource, DistributionProtection.ACCESS_LOGS.id,
          `${resource.type} ${resource.logicalId} has no Logging and no AWS::Logs::DeliverySource of the app names it, so it keeps no record of its requests.`,
          ['Properties/DistributionConfig/Logging']));
      }
    }
    return findings;
  }
}

function logSources(stacks: readonly StackTemplate[]): LogSources {
  const referenced = new Map<StackTemplate, Set<string>>();
  const unknown = new Set<StackTemplate>();
  let unknownAnywhere = false;
  const add = (stack: StackTemplate, id: string) => referenced.set(stack, (referenced.get(stack) ?? new Set<string>()).add(id));
  const written = crossRegionExports(stacks);
  const references = StackReferences.of(stacks);
  for (const stack of stacks) {
    for (const source of stack.resourcesOfType('AWS::Logs::DeliverySource')) {
      const arn = source.properties?.ResourceArn;
      if (typeof arn === 'string') continue;
      const targets = TemplateValue.referencesIn(arn);
      // No reference at all: an intrinsic synth cannot follow, the resource is chosen at deploy time.
      if (targets.length === 0) unknown.add(stack);
      for (const target of targets) {
        const read = crossRegionRead(stack, target);
        if (read !== undefined) {
          const exported = written.get(read);
          if (!exported) {
            unknownAnywhere = true;
            continue;
          }
          const unknownThere = () => unknown.add(exported.stack);
          TemplateValue.referencesIn(exported.value).forEach(inner => resolved(references, exported.stack, inner, add, unknownThere));
          continue;
        }
        resolved(references, stack, target, add, () => unknown.add(stack));
      }
    }
  }
  return { referenced, unknown, unknownAnywhere };
}

// Marks the resource a reference names, followed through exports; an unreadable one (a parameter) leaves its template unknown.
function resolved(
  references: StackReferences, stack: StackTemplate, target: unknown, add: (stack: StackTemplate, id: string) => void, unknown: () => void,
): void {
  const reference = references.resolve(stack, target);
  if (reference.kind === 'resource') add(reference.resource.stack, reference.resource.logicalId);
  else if (reference.kind === 'unknown') unknown();
}

/** The values aws-cdk-lib's cross-region writers of the validation export, by SSM parameter name, with the template that writes them. */
function crossRegionExports(stacks: readonly StackTemplate[]): Map<string, { readonly stack: StackTemplate; readonly value: unknown }> {
  const written = new Map<string, { readonly stack: StackTemplate; readonly value: unknown }>();
  for (const stack of stacks) {
    for (const writer of stack.resourcesOfType(CROSS_REGION_WRITER)) {
      const props = TemplateValue.literalObject(writer.properties?.WriterProps);
      const exports = TemplateValue.literalObject(props?.exports);
      for (const [name, value] of Object.entries(exports ?? {})) written.set(name, { stack, value });
    }
  }
  return written;
}

/** The SSM parameter name a reference reads through a cross-region reader of its template, if it is such a read. */
function crossRegionRead(stack: StackTemplate, target: unknown): string | undefined {
  if (!TemplateValue.isObject(target)) return undefined;
  const getAtt = target['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || typeof getAtt[0] !== 'string' || typeof getAtt[1] !== 'string') return undefined;
  return stack.resource(getAtt[0])?.type === CROSS_REGION_READER ? getAtt[1] : undefined;
}

