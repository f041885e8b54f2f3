import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
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
 * for a transform (which adds names at deploy time), names a registry module may declare (`<Module>.<Resource>` and
 * `<Module><Resource>`, for a resource whose type ends in `::MODULE`: the module's resources, known only to the registry). Across a nested stack's boundary, where the construct tree says which
 * resource of the parent is the nested stack: `Fn::GetAtt` of `Outputs.<Name>` the nested template does not declare,
 * `Parameters` it does not declare, and parameters it declares without a default that the parent does not pass; not
 * when the parent's TemplateURL is not the one CDK gives the template it wrote (overridden to a template published
 * elsewhere, which the validation cannot read). Catalog class C22 (parameters and outputs).
 */
export class MissingReference implements FintechRule {
  /** Metadata of `Fintech-C22-MissingReference`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C22-MissingReference',
    catalogId: 'C22',
    title: 'Every name a template uses is declared in it',
    description: 'A Ref, Fn::GetAtt, Fn::Sub variable, DependsOn, Condition or Fn::FindInMap naming a resource, parameter, condition or mapping ' +
      'the template does not declare makes CloudFormation refuse the template, so nothing deploys. Usually a raw override, an included template ' +
      'or a hand-written Fn.ref with a stale logical id. Across a nested stack\'s boundary, an output the parent reads or a parameter it passes must be declared ' +
      'by the nested template, and a parameter declared there without a default must be passed. Pseudo parameters always exist. ' +
      'Not judged: Fn::ImportValue (exports live in the account); attribute names other than a nested stack\'s Outputs.<Name>; the keys looked ' +
      'up in a mapping; names given by another intrinsic; resource Metadata; templates that ask for a transform (Transform, Fn::Transform, ' +
      'Fn::ForEach), which adds names at deploy time; names that start with the logical id of a registry module (a type ending in ::MODULE, ' +
      'whose resources are named <Module>.<Resource> or <Module><Resource>); the boundary of a nested stack whose TemplateURL is overridden to a ' +
      'template published elsewhere, which the validation cannot read.',
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

  /** Judges each nested stack against its parent: outputs read, parameters passed. */
  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const child of stacks) {
      // The parent's template and the nested stack's resource in it, as loading linked them (with a scope or without).
      const parent = child.parent?.template;
      const resource = parent?.resources.find(r => r.logicalId === child.parent!.logicalId);
      if (!parent || !resource || !deploysWrittenTemplate(resource)) continue;
      if (!templateReferences(parent).judgeable || !templateReferences(child).judgeable) continue;
      findings.push(...this.outputsRead(parent, resource, child), ...this.parametersPassed(resource, child));
    }
    return findings;
  }

  private outputsRead(parent: StackTemplate, resource: TemplateResource, child: StackTemplate): RuleFinding[] {
    const outputs = sectionOf(child, 'Outputs');
    const findings: RuleFinding[] = [];
    for (const element of templateReferences(parent).elements) {
      const missing = element.references.filter(r => r.target === resource.logicalId && r.attribute?.startsWith('Outputs.') && !(r.attribute.slice(8) in outputs));
      for (const name of new Set(missing.map(r => r.attribute!.slice(8)))) {
        const uses = missing.filter(r => r.attribute === `Outputs.${name}`);
        const what = element.type ? `${element.type} ${element.logicalId}` : `${element.section === 'Outputs' ? 'Output' : 'Condition'} ${element.logicalId}`;
        findings.push({
          ruleId: MissingReference.INFO.id,
          stack: parent,
          logicalId: element.logicalId,
          ...(element.type ? { resourceType: element.type } : {}),
          message: `${what} reads output "${name}" of nested stack ${resource.logicalId} (${uses.map(r => `${r.via} at ${r.location}`).join(', ')}), ` +
            `which ${child.templateFile} does not declare, so CloudFormation refuses the template.`,
          locations: [...new Set(uses.map(r => r.location))],
        });
      }
    }
    return findings;
  }

  private parametersPassed(resource: TemplateResource, child: StackTemplate): RuleFinding[] {
    const passed = resource.properties?.Parameters;
    if (passed !== undefined && (!TemplateValue.isObject(passed) || TemplateValue.isIntrinsic(passed))) return [];
    const given = Object.keys(passed ?? {});
    const parameters = sectionOf(child, 'Parameters');
    const unknown = given.filter(name => !(name in parameters));
    const missing = Object.entries(parameters)
      .filter(([name, parameter]) => !given.includes(name) && TemplateValue.isObject(parameter) && parameter.Default === undefined)
      .map(([name]) => name);
    const problems = [
      ...(unknown.length > 0 ? [`passes ${parameterList(unknown)}, which ${child.templateFile} does not declare`] : []),
      ...(missing.length > 0 ? [`does not pass ${parameterList(missing)}, which ${child.templateFile} declares without a default`] : []),
    ];
    if (problems.length === 0) return [];
    return [{
      ruleId: MissingReference.INFO.id,
      stack: resource.stack,
      logicalId: resource.logicalId,
      resourceType: resource.type,
      message: `${resource.type} ${resource.logicalId} ${problems.join(' and ')}, so CloudFormation refuses the template.`,
      locations: ['Properties/Parameters'],
    }];
  }
}

/**
 * Whether a nested stack's resource deploys the template CDK wrote for it: at the URL CDK gives it, which names the
 * template's asset hash (64 hex digits, in the object key or, with the legacy synthesizer, in the asset parameters'
 * names). A TemplateURL overridden to a template published elsewhere (as AWS Solutions publish theirs in their own
 * bucket) deploys that template, which the validation cannot read.
 */
function deploysWrittenTemplate(resource: TemplateResource): boolean {
  const url = resource.properties?.TemplateURL;
  return url === undefined || /[0-9a-f]{64}/.test(JSON.stringify(url));
}

function sectionOf(stack: StackTemplate, name: string): { readonly [key: string]: unknown } {
  const section = stack.template[name];
  return TemplateValue.isObject(section) ? section : {};
}

function parameterList(names: readonly string[]): string {
  return `parameter${names.length === 1 ? '' : 's'} ${names.map(n => `"${n}"`).join(', ')}`;
}

/** Whether a name is a resource of the template, or may be one of the resources a registry module of it expands into. */
function isResource(name: string, refs: TemplateReferences): boolean {
  if (refs.resources.has(name)) return true;
  for (const module of refs.modules) if (name.length > module.length && name.startsWith(module)) return true;
  return false;
}

function declared(reference: TemplateReference, refs: TemplateReferences): boolean {
  switch (reference.kind) {
    case 'resource-or-parameter': return isResource(reference.target, refs) || refs.parameters.has(reference.target);
    case 'resource': return isResource(reference.target, refs);
    case 'condition': return refs.conditions.has(reference.target);
    case 'mapping': return refs.mappings.has(reference.target);
  }
}
