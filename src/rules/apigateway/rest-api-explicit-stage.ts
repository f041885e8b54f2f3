import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

/** How the REST APIs of one validation's templates are deployed. */
interface DeploymentIndex {
  /** APIs with an `AWS::ApiGateway::Stage` in any template. */
  readonly withStage: ReadonlySet<TemplateResource>;
  /** APIs with a deployment that creates its own stage (`StageName` set): the deployment. */
  readonly implicitStages: ReadonlyMap<TemplateResource, TemplateResource>;
  /** Templates with a stage that names its API by something that cannot be followed: any API they or their deployments touch may have it. */
  readonly unknownStages: ReadonlySet<StackTemplate>;
}

/**
 * C19: a REST API is deployed through an explicit `AWS::ApiGateway::Stage`, not only through the
 * stage an `AWS::ApiGateway::Deployment` creates from its StageName. That implicit stage has no
 * resource of its own, so it cannot carry a WAF association, its settings drift with each
 * deployment, and a new deployment replaces it. Stages and deployments are followed into every stack of the app (an
 * export, a nested stack's parameter). APIs with no deployment at all are not judged.
 */
export class RestApiExplicitStage implements FintechRule {
  /** Metadata of `Fintech-C19-RestApiWithoutExplicitStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C19-RestApiWithoutExplicitStage',
    catalogId: 'C19',
    title: 'REST APIs are deployed through an explicit stage',
    description: 'A stage created implicitly by a Deployment\'s StageName is not a resource: it cannot be associated with a web ACL or referenced by alarms, its throttling and logging are not managed, and each new deployment recreates it. ' +
      'Judged on REST APIs (AWS::ApiGateway::RestApi), with the deployments and stages of every stack of the app, followed through exports and ' +
      'nested stacks\' parameters: a stage in another stack counts. ' +
      'Not judged: APIs no deployment names (undeployed, or deployed by an id synth cannot follow), and every API of a template, or deployed by ' +
      'one, while one of its stages names its API by a value synth cannot follow (a literal id, an import no stack exports, a parameter of a ' +
      'top-level stack).',
    fix: 'Use a ProtectedRestApi or an apigateway.RestApi with deploy: true (it creates an apigateway.Stage); with L1 resources, add a CfnStage and drop StageName from the CfnDeployment.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RestApiExplicitStage';
  public readonly infos = [RestApiExplicitStage.INFO];
  public readonly resourceTypes = ['AWS::ApiGateway::RestApi'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { peers } = resource.stack;
    const index = peers.memo('RestApiExplicitStage.index', () => indexDeployments(peers.templates));
    const deployment = index.implicitStages.get(resource);
    if (deployment === undefined || index.withStage.has(resource)) return [];
    if (index.unknownStages.has(resource.stack) || index.unknownStages.has(deployment.stack)) return [];
    const where = deployment.stack === resource.stack ? '' : ` of ${deployment.stack.path}`;
    return [findingOn(resource, RestApiExplicitStage.INFO.id,
      `${resource.type} ${resource.logicalId} has no AWS::ApiGateway::Stage in any stack of the app; it is served only by the stage ` +
      `AWS::ApiGateway::Deployment ${deployment.logicalId}${where} creates from its StageName.`,
      [])];
  }
}

function indexDeployments(templates: readonly StackTemplate[]): DeploymentIndex {
  const withStage = new Set<TemplateResource>();
  const unknownStages = new Set<StackTemplate>();
  const implicitStages = new Map<TemplateResource, TemplateResource>();
  for (const stack of templates) {
    for (const stage of stack.resourcesOfType('AWS::ApiGateway::Stage')) {
      const api = followedResource(stack, stage.properties?.RestApiId, 'AWS::ApiGateway::RestApi');
      if (api) withStage.add(api); else unknownStages.add(stack);
    }
    for (const deployment of stack.resourcesOfType('AWS::ApiGateway::Deployment')) {
      if (deployment.properties?.StageName === undefined) continue;
      const api = followedResource(stack, deployment.properties.RestApiId, 'AWS::ApiGateway::RestApi');
      if (api) implicitStages.set(api, deployment);
    }
  }
  return { withStage, implicitStages, unknownStages };
}
