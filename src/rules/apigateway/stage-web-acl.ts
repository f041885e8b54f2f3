import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Which API Gateway stages of one template a WAFv2 web ACL association covers. */
interface AssociationIndex {
  /** Logical ids of associated stages. */
  readonly associated: ReadonlySet<string>;
  /** An association targets something that cannot be read and may be a stage here: every stage is unknown. */
  readonly unknownTargets: boolean;
}

/** One piece of an ARN built with `Fn::Join` or `Fn::Sub`: literal text or a reference to a logical id or pseudo parameter. */
type ArnPart = { readonly text: string } | { readonly ref: string };

const STAGE = 'AWS::ApiGateway::Stage';
const REST_API = 'AWS::ApiGateway::RestApi';
// A stage ARN: `arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<stage name>`; references are written as `${LogicalId}`.
const STAGE_ARN = /:apigateway:.*\/restapis\/(\$\{[^}]+\}|[^/]+)\/stages\/(\$\{[^}]+\}|[^/]+)$/;

/**
 * C19: every API Gateway stage is associated with a WAFv2 web ACL (`AWS::WAFv2::WebACLAssociation`
 * whose ResourceArn names the stage). CDK builds that ARN as an `Fn::Join` of the partition, region,
 * `Ref` of the RestApi and `Ref` of the stage; the stage may also be named by its literal StageName,
 * and `Fn::Sub` works the same way. An association whose ARN cannot be read (an import, a parameter)
 * makes every stage of its template unknown; a literal ARN names an API outside the template.
 */
export class StageWebAcl implements FintechRule {
  /** Metadata of `Fintech-C19-StageWithoutWebAcl`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-StageWithoutWebAcl',
    catalogId: 'C19',
    title: 'Every API Gateway stage is protected by a WAFv2 web ACL',
    description: 'Without a web ACL a public payments API takes every request API Gateway accepts: no managed protection against injection and known bad inputs, and no per-client rate limit in front of the backend.',
    fix: 'Use a ProtectedRestApi, or associate a wafv2.CfnWebACL (managed rule groups plus a rate-based rule) with api.deploymentStage.stageArn through a wafv2.CfnWebACLAssociation.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'StageWebAcl';
  public readonly infos = [StageWebAcl.INFO];
  public readonly resourceTypes = [STAGE];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const index = resource.stack.memo('StageWebAcl.index', () => indexAssociations(resource.stack));
    if (index.unknownTargets || index.associated.has(resource.logicalId)) return [];
    const api = TemplateValue.refTarget(resource.properties?.RestApiId);
    const of = api ? ` of ${REST_API} ${api}` : '';
    return [findingOn(resource, StageWebAcl.INFO.id,
      `${resource.type} ${resource.logicalId}${of} is not associated with a WAFv2 web ACL (no AWS::WAFv2::WebACLAssociation names it), so requests reach the API unfiltered and unlimited.`,
      [])];
  }
}

function indexAssociations(stack: StackTemplate): AssociationIndex {
  const stagesByApiAndName = new Map<string, string>();
  for (const stage of stack.resourcesOfType(STAGE)) {
    const api = TemplateValue.refTarget(stage.properties?.RestApiId);
    const name = stage.properties?.StageName;
    if (api && typeof name === 'string') stagesByApiAndName.set(`${api}/${name}`, stage.logicalId);
  }
  const associated = new Set<string>();
  let unknownTargets = false;
  for (const association of stack.resourcesOfType('AWS::WAFv2::WebACLAssociation')) {
    const parts = association.properties ? arnParts(association.properties.ResourceArn) : undefined;
    if (!parts) {
      unknownTargets = true;
      continue;
    }
    const stageRef = parts.find(part => 'ref' in part && stack.resource(part.ref)?.type === STAGE);
    if (stageRef && 'ref' in stageRef) {
      associated.add(stageRef.ref);
      continue;
    }
    const text = parts.map(part => 'text' in part ? part.text : `\${${part.ref}}`).join('');
    const match = STAGE_ARN.exec(text);
    if (!match) {
      // A parameter or import may hold a stage ARN; a literal or a resource of another type (a load balancer) names no stage here.
      if (parts.some(part => 'ref' in part && !part.ref.startsWith('AWS::') && !stack.resource(part.ref))) unknownTargets = true;
      continue;
    }
    const api = /^\$\{(.+)\}$/.exec(match[1])?.[1];
    if (api === undefined) continue; // a literal API id: an API deployed outside this template
    if (stack.resource(api)?.type !== REST_API) {
      // The API id comes from a parameter or another resource's attribute: it may be any API of this template.
      if (!api.startsWith('AWS::')) unknownTargets = true;
      continue;
    }
    const stage = match[2].startsWith('${') ? undefined : stagesByApiAndName.get(`${api}/${match[2]}`);
    if (stage) associated.add(stage); else if (match[2].startsWith('${')) unknownTargets = true;
  }
  return { associated, unknownTargets };
}

/** The parts of an ARN written as a literal, `Ref`, `Fn::Join` or `Fn::Sub`; undefined for anything else (unknown). */
function arnParts(value: unknown): ArnPart[] | undefined {
  if (typeof value === 'string') return [{ text: value }];
  const ref = TemplateValue.refTarget(value);
  if (ref) return [{ ref }];
  if (!TemplateValue.isObject(value)) return undefined;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts: ArnPart[] = [];
    for (const [i, element] of join[1].entries()) {
      const inner = arnParts(element);
      if (!inner) return undefined;
      if (i > 0 && join[0]) parts.push({ text: join[0] });
      parts.push(...inner);
    }
    return parts;
  }
  const sub = value['Fn::Sub'];
  const [body, variables] = Array.isArray(sub) ? sub : [sub, {}];
  if (typeof body !== 'string' || !TemplateValue.isObject(variables)) return undefined;
  const parts: ArnPart[] = [];
  let rest = body;
  for (let match = /\$\{([^}!][^}]*)\}/.exec(rest); match; match = /\$\{([^}!][^}]*)\}/.exec(rest)) {
    parts.push({ text: rest.slice(0, match.index) });
    const name = match[1];
    const inner = name in variables ? arnParts(variables[name]) : name.includes('.') ? undefined : [{ ref: name }];
    if (!inner) return undefined;
    parts.push(...inner);
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push({ text: rest });
  return parts;
}
