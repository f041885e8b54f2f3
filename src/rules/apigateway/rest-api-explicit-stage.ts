import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** How the REST APIs of one template are deployed. */
interface DeploymentIndex {
  /** APIs with an `AWS::ApiGateway::Stage`. */
  readonly withStage: ReadonlySet<string>;
  /** APIs with a deployment that creates its own stage (`StageName` set), by API logical id: the deployment's logical id. */
  readonly implicitStages: ReadonlyMap<string, string>;
  /** A stage names its API by something that cannot be resolved: any API may have it. */
  readonly unknownStages: boolean;
}

/**
 * C19: a REST API is deployed through an explicit `AWS::ApiGateway::Stage`, not only through the
 * stage an `AWS::ApiGateway::Deployment` creates from its StageName. That implicit stage has no
 * resource of its own, so it cannot carry a WAF association, its settings drift with each
 * deployment, and a new deployment replaces it. APIs with no deployment at all are not judged.
 */
export class RestApiExplicitStage implements FintechRule {
  /** Metadata of `Fintech-C19-RestApiWithoutExplicitStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-RestApiWithoutExplicitStage',
    catalogId: 'C19',
    title: 'REST APIs are deployed through an explicit stage',
    description: 'A stage created implicitly by a Deployment\'s StageName is not a resource: it cannot be associated with a web ACL or referenced by alarms, its throttling and logging are not managed, and each new deployment recreates it. ' +
      'Judged on REST APIs (AWS::ApiGateway::RestApi), with the deployments and stages of their own template. ' +
      'Not judged: APIs no deployment of their template names (undeployed, or deployed from another stack), and every API of a template ' +
      'while one of its stages names its API by a value synth cannot resolve (a literal id, an import, a parameter).',
    fix: 'Use a ProtectedRestApi or an apigateway.RestApi with deploy: true (it creates an apigateway.Stage); with L1 resources, add a CfnStage and drop StageName from the CfnDeployment.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RestApiExplicitStage';
  public readonly infos = [RestApiExplicitStage.INFO];
  public readonly resourceTypes = ['AWS::ApiGateway::RestApi'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const index = resource.stack.memo('RestApiExplicitStage.index', () => indexDeployments(resource.stack));
    const deployment = index.implicitStages.get(resource.logicalId);
    if (index.unknownStages || deployment === undefined || index.withStage.has(resource.logicalId)) return [];
    return [findingOn(resource, RestApiExplicitStage.INFO.id,
      `${resource.type} ${resource.logicalId} has no AWS::ApiGateway::Stage; it is served only by the stage AWS::ApiGateway::Deployment ${deployment} creates from its StageName.`,
      [])];
  }
}

function indexDeployments(stack: StackTemplate): DeploymentIndex {
  const withStage = new Set<string>();
  let unknownStages = false;
  for (const stage of stack.resourcesOfType('AWS::ApiGateway::Stage')) {
    const api = restApiOf(stage);
    if (api) withStage.add(api); else unknownStages = true;
  }
  const implicitStages = new Map<string, string>();
  for (const deployment of stack.resourcesOfType('AWS::ApiGateway::Deployment')) {
    const api = restApiOf(deployment);
    if (api && deployment.properties?.StageName !== undefined) implicitStages.set(api, deployment.logicalId);
  }
  return { withStage, implicitStages, unknownStages };
}

/** The logical id of the RestApi a stage or deployment belongs to (`Ref` or `Fn::GetAtt ... RestApiId`). */
function restApiOf(resource: TemplateResource): string | undefined {
  const id = resource.properties?.RestApiId;
  const ref = TemplateValue.refTarget(id);
  if (ref) return ref;
  const getAtt = TemplateValue.isObject(id) ? id['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
}
