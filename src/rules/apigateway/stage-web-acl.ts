import { resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Which API Gateway stages and AppSync GraphQL APIs of the templates validated together a WAFv2 web ACL association covers. */
interface AssociationIndex {
  /** Associated stages and GraphQL APIs. */
  readonly associated: ReadonlySet<TemplateResource>;
  /** An association targets something that cannot be read and may be a stage of the templates: every stage is unknown. */
  readonly unknownTargets: boolean;
  /** An association targets something that cannot be read and may be a GraphQL API of the templates: every such API is unknown. */
  readonly unknownGraphqlTargets: boolean;
}

/**
 * One piece of an ARN built with `Fn::Join` or `Fn::Sub`, followed across stacks: literal text, a resource of one of the
 * templates, a pseudo parameter, a parameter of a top-level template (any value at deploy time), or an import that no
 * template of the stage exports (something outside it).
 */
type ArnPart =
  | { readonly text: string }
  | { readonly resource: TemplateResource }
  | { readonly pseudo: string }
  | { readonly parameter: string }
  | { readonly outside: true };

const STAGE = 'AWS::ApiGateway::Stage';
const REST_API = 'AWS::ApiGateway::RestApi';
const GRAPHQL_API = 'AWS::AppSync::GraphQLApi';
// A GraphQL API ARN: `arn:<partition>:appsync:<region>:<account>:apis/<api id>`.
const GRAPHQL_API_ARN = /:appsync:[^:]*:[^:]*:apis\/[^/]+$/;
// A stage ARN: `arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<stage name>`; references are written as `${LogicalId}`.
const STAGE_ARN = /:apigateway:.*\/restapis\/(\$\{[^}]+\}|[^/]+)\/stages\/(\$\{[^}]+\}|[^/]+)$/;

/**
 * C19: every API Gateway stage is associated with a WAFv2 web ACL (`AWS::WAFv2::WebACLAssociation`
 * whose ResourceArn names the stage). CDK builds that ARN as an `Fn::Join` of the partition, region,
 * `Ref` of the RestApi and `Ref` of the stage; the stage may also be named by its literal StageName,
 * and `Fn::Sub` works the same way. The association may be in any template of the stage: a security stack
 * associating its web ACL with another stack's API (through imports or nested-stack parameters) covers it.
 * An association whose ARN cannot be read (a parameter, an attribute of another resource) makes every
 * stage unknown; a literal ARN, or an import no template of the stage exports, names an API outside them.
 */
export class StageWebAcl implements FintechRule {
  /** Metadata of `Fintech-C19-StageWithoutWebAcl`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-StageWithoutWebAcl',
    catalogId: 'C19',
    title: 'Every API Gateway stage is protected by a WAFv2 web ACL',
    description: 'Without a web ACL a public payments API takes every request API Gateway accepts: no managed protection against injection and known bad inputs, and no per-client rate limit in front of the backend. ' +
      'An AWS::WAFv2::WebACLAssociation in any stack of the stage counts (a security stack associating its web ACL with another stack\'s API through exports or nested-stack parameters). ' +
      'Not judged: API stages while an association of the same CDK stage names an ARN synth cannot read (a parameter, another resource\'s attribute).',
    fix: 'Use a ProtectedRestApi, or associate a wafv2.CfnWebACL (managed rule groups plus a rate-based rule) with api.deploymentStage.stageArn through a wafv2.CfnWebACLAssociation.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C19-GraphqlApiWithoutWebAcl`. */
  public static readonly GRAPHQL_API: RuleInfo = {
    id: 'Fintech-C19-GraphqlApiWithoutWebAcl',
    catalogId: 'C19',
    title: 'Every public AppSync GraphQL API is protected by a WAFv2 web ACL',
    description: 'AppSync has no throttling of its own per client: without a web ACL one client can run deep or repeated queries against balances and transfers until the account\'s request quota is spent for every customer, and no managed rule filters bad inputs. ' +
      'An AWS::WAFv2::WebACLAssociation in any stack of the stage counts. Not judged: private APIs (Visibility PRIVATE, reachable only through interface endpoints), and every GraphQL API while an association of the same CDK stage names an ARN synth cannot read.',
    fix: 'Associate a wafv2.CfnWebACL (managed rule groups plus a rate-based rule) with api.arn through a wafv2.CfnWebACLAssociation. If a CloudFront distribution with its own web ACL is the only way in, acknowledge the finding with that reason.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'StageWebAcl';
  public readonly infos = [StageWebAcl.INFO, StageWebAcl.GRAPHQL_API];
  public readonly resourceTypes = [STAGE, GRAPHQL_API];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const index = resource.stack.peers.memo('StageWebAcl.index', () => indexAssociations(resource.stack.peers));
    if (resource.type === GRAPHQL_API) {
      if (index.unknownGraphqlTargets || index.associated.has(resource) || resource.properties?.Visibility === 'PRIVATE') return [];
      return [findingOn(resource, StageWebAcl.GRAPHQL_API.id,
        `${resource.type} ${resource.logicalId} is not associated with a WAFv2 web ACL (no AWS::WAFv2::WebACLAssociation names it), so queries reach its resolvers unfiltered and unlimited per client.`,
        [])];
    }
    if (index.unknownTargets || index.associated.has(resource)) return [];
    const api = TemplateValue.refTarget(resource.properties?.RestApiId);
    const of = api ? ` of ${REST_API} ${api}` : '';
    return [findingOn(resource, StageWebAcl.INFO.id,
      `${resource.type} ${resource.logicalId}${of} is not associated with a WAFv2 web ACL (no AWS::WAFv2::WebACLAssociation names it), so requests reach the API unfiltered and unlimited.`,
      [])];
  }
}

function indexAssociations(peers: TemplatePeers): AssociationIndex {
  const stagesByApiAndName = new Map<TemplateResource, Map<string, TemplateResource>>();
  for (const template of peers.templates) {
    for (const stage of template.resourcesOfType(STAGE)) {
      const api = resolvedPart(template, stage.properties?.RestApiId);
      const name = stage.properties?.StageName;
      if (!api || !('resource' in api) || typeof name !== 'string') continue;
      const byName = stagesByApiAndName.get(api.resource) ?? new Map<string, TemplateResource>();
      byName.set(name, stage);
      stagesByApiAndName.set(api.resource, byName);
    }
  }
  const associated = new Set<TemplateResource>();
  let unknownTargets = false;
  let unknownGraphqlTargets = false;
  for (const template of peers.templates) {
    for (const association of template.resourcesOfType('AWS::WAFv2::WebACLAssociation')) {
      const parts = association.properties ? arnParts(template, association.properties.ResourceArn) : undefined;
      if (!parts) {
        unknownTargets = true;
        unknownGraphqlTargets = true;
        continue;
      }
      const target = parts.find(part => 'resource' in part && (part.resource.type === STAGE || part.resource.type === GRAPHQL_API));
      if (target && 'resource' in target) {
        associated.add(target.resource);
        continue;
      }
      // Resources and parameters become `${n}` placeholders, so that the ARN's shape can be matched as text.
      const placeholders: ArnPart[] = [];
      const text = parts.map(part => ('text' in part ? part.text : `\${${placeholders.push(part) - 1}}`)).join('');
      const placeholder = (piece: string) => (/^\$\{(\d+)\}$/.test(piece) ? placeholders[Number(piece.slice(2, -1))] : undefined);
      // A GraphQL API ARN built from something other than one of its resources (a parameter, another attribute) may name any of them.
      if (GRAPHQL_API_ARN.test(text) && placeholders.some(part => 'parameter' in part || ('resource' in part && part.resource.type !== GRAPHQL_API))) unknownGraphqlTargets = true;
      const match = STAGE_ARN.exec(text);
      if (!match) {
        // A parameter may hold a stage or GraphQL API ARN; a literal, an outside import or a resource of another type (a load balancer) names none here.
        if (placeholders.length === 1 && parts.length === 1 && 'parameter' in placeholders[0]) unknownGraphqlTargets = true;
        if (placeholders.some(part => 'parameter' in part)) unknownTargets = true;
        continue;
      }
      const api = placeholder(match[1]);
      if (api === undefined || 'outside' in api || 'pseudo' in api) continue; // an API deployed outside these templates
      if (!('resource' in api) || api.resource.type !== REST_API) {
        // The API id comes from a parameter or another resource's attribute: it may be any API of these templates.
        unknownTargets = true;
        continue;
      }
      const stage = placeholder(match[2]) ? undefined : stagesByApiAndName.get(api.resource)?.get(match[2]);
      if (stage) associated.add(stage); else if (placeholder(match[2])) unknownTargets = true;
    }
  }
  return { associated, unknownTargets, unknownGraphqlTargets };
}

/** What a `Ref`, `Fn::GetAtt` or `Fn::ImportValue` names once followed across stacks; undefined when it is none of them. */
function resolvedPart(stack: StackTemplate, value: unknown): ArnPart | ArnPart[] | undefined {
  const ref = TemplateValue.refTarget(value);
  if (ref?.startsWith('AWS::')) return { pseudo: ref };
  const imported = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::ImportValue'] : undefined;
  if (ref === undefined && TemplateValue.getAtt(value) === undefined && imported === undefined) return undefined;
  const followed = resolveAcrossStacks(stack, value);
  if (followed.value !== value) return arnParts(followed.stack, followed.value) ?? [];
  const target = TemplateValue.referencedId(value);
  const resource = target === undefined ? undefined : stack.resource(target);
  if (resource) return { resource };
  return ref !== undefined ? { parameter: ref } : { outside: true };
}

/**
 * The parts of an ARN written as a literal, `Ref`, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::Join` or `Fn::Sub`, followed
 * across stacks; undefined for anything else (unknown).
 */
function arnParts(stack: StackTemplate, value: unknown): ArnPart[] | undefined {
  if (typeof value === 'string') return [{ text: value }];
  const resolved = resolvedPart(stack, value);
  if (resolved !== undefined) return Array.isArray(resolved) ? (resolved.length > 0 ? resolved : undefined) : [resolved];
  if (!TemplateValue.isObject(value)) return undefined;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts: ArnPart[] = [];
    for (const [i, element] of join[1].entries()) {
      const inner = arnParts(stack, element);
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
    const inner = name in variables ? arnParts(stack, variables[name]) : name.includes('.') ? undefined : arnParts(stack, { Ref: name });
    if (!inner) return undefined;
    parts.push(...inner);
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push({ text: rest });
  return parts;
}
