import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate } from '../stack-template';
import { ReferenceKind, TemplateReference, TemplateReferences, templateReferences } from './template-references';

const WHAT: Record<ReferenceKind, string> = {
  'resource-or-parameter': 'a resource or parameter',
  'resource': 'a resource',
  'condition': 'a condition',
  'mapping': 'a mapping',
};

/**
 * A name a template uses that the template does not declare: `Ref` and `Fn::Sub` variables naming no resource or
 * parameter, `Fn::GetAtt`, `${Name.Attr}` and `DependsOn` naming no resource, `Condition` and `Fn::If` naming no
 * condition, `Fn::FindInMap` naming no mapping; CloudFormation refuses such a template. Pseudo parameters (`AWS::*`)
 * always exist. Each template is judged on its own (a nested stack reaches its parent only through its parameters).
 * Not judged: `Fn::ImportValue` (exports live in the account), attribute names, resource `Metadata`, templates that ask
 * for a transform (which adds names at deploy time). Catalog class C22 (parameters and outputs).
 */
export class MissingReference implements FintechRule {
  /** Metadata of `Fintech-C22-MissingReference`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C22-MissingReference',
    catalogId: 'C22',
    title: 'Every name a template uses is declared in it',
    description: 'A Ref, Fn::GetAtt, Fn::Sub variable, DependsOn, Condition or Fn::FindInMap naming a resource, parameter, condition or mapping ' +
      'the template does not declare makes CloudFormation refuse the template, so nothing deploys. Usually a raw override, an included template ' +
      'or a hand-written Fn.ref with a stale logical id. Pseudo parameters always exist; Fn::ImportValue, attribute names and templates with a transform are not judged.',
    fix: 'Refer to the construct itself (bucket.bucketArn, role.roleArn, cfnResource.ref) instead of a hand-written logical id, or declare what is referred to.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'MissingReference';
  public readonly infos = [MissingReference.INFO];

  public checkTemplate(stack: StackTemplate): RuleFinding[] {
    const refs = templateReferences(stack);
    if (!refs.judgeable) return [];
    const findings: RuleFinding[] = [];
    for (const element of refs.elements) {
      const missing = new Map<string, TemplateReference[]>();
      for (const reference of element.references) {
        if (declared(reference, refs)) continue;
        const key = `${reference.kind}\u0000${reference.target}`;
        const list = missing.get(key);
        if (list) list.push(reference); else missing.set(key, [reference]);
      }
      for (const references of missing.values()) {
        const { target, kind } = references[0];
        const what = element.type ? `${element.type} ${element.logicalId}` : `${element.section === 'Outputs' ? 'Output' : 'Condition'} ${element.logicalId}`;
        const uses = [...new Set(references.map(r => `${r.via} at ${r.location}`))].join(', ');
        const instead = kind === 'resource' && refs.parameters.has(target) ? `; "${target}" is a parameter, which has no attributes and cannot be depended on` : '';
        findings.push({
          ruleId: MissingReference.INFO.id,
          stack,
          logicalId: element.logicalId,
          ...(element.type ? { resourceType: element.type } : {}),
          message: `${what} refers to "${target}" (${uses}), which is not ${WHAT[kind]} of ${stack.templateFile}${instead}, so CloudFormation refuses the template.`,
          locations: [...new Set(references.map(r => r.location))],
        });
      }
    }
    return findings;
  }
}

function declared(reference: TemplateReference, refs: TemplateReferences): boolean {
  switch (reference.kind) {
    case 'resource-or-parameter': return refs.resources.has(reference.target) || refs.parameters.has(reference.target);
    case 'resource': return refs.resources.has(reference.target);
    case 'condition': return refs.conditions.has(reference.target);
    case 'mapping': return refs.mappings.has(reference.target);
  }
}
