import { isCustomResourceProvider } from '../custom-resource-providers';
import { isEdgeFunction } from '../lambda/edge-functions';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Where a type switches X-Ray on: `container.flag` must be `on`. */
interface TracingSwitch {
  readonly info: RuleInfo;
  readonly container?: string;
  readonly flag: string;
  readonly on: (value: unknown) => boolean | undefined;
}

// Off when unset (the CloudFormation default); unknown when an intrinsic.
const isActive = (mode: unknown) => (mode === undefined ? false : typeof mode === 'string' ? mode === 'Active' : undefined);
const isTrue = (enabled: unknown) => (enabled === undefined ? false : TemplateValue.booleanOf(enabled));

/**
 * C11: X-Ray tracing is on where a request crosses a service: Lambda functions (`TracingConfig.Mode: Active`),
 * API Gateway REST stages (`TracingEnabled`: the `AWS::ApiGateway::Stage` that CDK's `deployOptions` create, or a
 * `Deployment` that creates its stage with `StageName`), state machines (`TracingConfiguration.Enabled`) and AppSync
 * GraphQL APIs (`XrayEnabled`).
 * HTTP APIs (ApiGatewayV2) and Lambda@Edge functions cannot trace, so they are not judged. Sampling rules are a construct, not a rule.
 */
export class XRayTracing implements FintechRule {
  /** Lambda function without active tracing. */
  public static readonly FUNCTION_WITHOUT_TRACING: RuleInfo = {
    id: 'Fintech-C11-FunctionWithoutTracing',
    catalogId: 'C11',
    title: 'Lambda functions trace with X-Ray',
    description: 'Without active tracing a function is a gap in every trace that crosses it: a slow payment shows the API call and nothing about which downstream call inside the function took the time or failed. ' +
      'Not judged: CDK\'s custom-resource provider functions, and Lambda@Edge functions (a role trusting edgelambda.amazonaws.com), which X-Ray cannot trace.',
    fix: 'Use a TracedFunction, or set tracing: lambda.Tracing.ACTIVE on the function.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** API Gateway stage without tracing. */
  public static readonly API_STAGE_WITHOUT_TRACING: RuleInfo = {
    id: 'Fintech-C11-ApiStageWithoutTracing',
    catalogId: 'C11',
    title: 'API Gateway stages trace with X-Ray',
    description: 'The API stage starts the trace of every request; without it traces begin inside the backend, so latency added by API Gateway ' +
      '(authorizers, integrations, throttling) and the request that caused a failure cannot be seen. ' +
      'Judged on REST API stages: AWS::ApiGateway::Stage, and a Deployment that creates its stage with StageName. ' +
      'Not judged: HTTP and WebSocket APIs (API Gateway v2), which X-Ray cannot trace; ' +
      'a Deployment without StageName (its stage is judged); intrinsic TracingEnabled or StageDescription.',
    fix: 'Use a ProtectedRestApi, or set deployOptions: { tracingEnabled: true } on the apigateway.RestApi (tracingEnabled on an apigateway.Stage).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** State machine without tracing. */
  public static readonly STATE_MACHINE_WITHOUT_TRACING: RuleInfo = {
    id: 'Fintech-C11-StateMachineWithoutTracing',
    catalogId: 'C11',
    title: 'Step Functions state machines trace with X-Ray',
    description: 'A payment workflow spans many task calls; without tracing, a failed or slow execution cannot be followed from the state machine into the Lambda functions and services it called. ' +
      'Not judged: the waiter state machine of a custom-resources Provider with an isComplete handler, or of an integ-tests-alpha assertion that waits for its result, which CDK runs at deploy time.',
    fix: 'Set tracingEnabled: true on the sfn.StateMachine.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** AppSync GraphQL API without tracing. */
  public static readonly GRAPHQL_API_WITHOUT_TRACING: RuleInfo = {
    id: 'Fintech-C11-GraphqlApiWithoutTracing',
    catalogId: 'C11',
    title: 'AppSync GraphQL APIs trace with X-Ray',
    description: 'An AppSync API resolves one query through several data sources (tables, functions, HTTP endpoints); without tracing, which resolver made a mobile banking screen slow or failed it cannot be seen, and traces start only inside the functions it calls. ' +
      'Judged on GraphQL APIs, merged ones too. Not judged: AppSync Events APIs (AWS::AppSync::Api), which X-Ray cannot trace.',
    fix: 'Set xrayEnabled: true on the appsync.GraphqlApi (XrayEnabled on a CfnGraphQLApi).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'XRayTracing';
  public readonly infos = [
    XRayTracing.FUNCTION_WITHOUT_TRACING,
    XRayTracing.API_STAGE_WITHOUT_TRACING,
    XRayTracing.STATE_MACHINE_WITHOUT_TRACING,
    XRayTracing.GRAPHQL_API_WITHOUT_TRACING,
  ];
  public readonly resourceTypes = Object.keys(SWITCHES);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || isCustomResourceProvider(resource) || isEdgeFunction(resource)) return [];
    // A Deployment creates a stage only when it names one; otherwise an AWS::ApiGateway::Stage is judged.
    if (resource.type === 'AWS::ApiGateway::Deployment' && properties.StageName === undefined) return [];
    const tracing = SWITCHES[resource.type];
    const container = tracing.container === undefined ? properties : properties[tracing.container];
    if (container !== undefined && (!TemplateValue.isObject(container) || TemplateValue.isIntrinsic(container))) return [];
    const value = container?.[tracing.flag];
    if (tracing.on(value) !== false) return [];
    const path = tracing.container === undefined ? [tracing.flag] : [tracing.container, tracing.flag];
    const state = container === undefined ? `no ${tracing.container}` : value === undefined ? `${path.join('.')} unset` : `${path.join('.')} ${JSON.stringify(value)}`;
    return [findingOn(resource, tracing.info.id,
      `${resource.type} ${resource.logicalId} has ${state}, so X-Ray does not trace it and requests through it leave gaps in their traces.`,
      [`Properties/${path.join('/')}`])];
  }
}

const SWITCHES: { readonly [type: string]: TracingSwitch } = {
  'AWS::Lambda::Function': { info: XRayTracing.FUNCTION_WITHOUT_TRACING, container: 'TracingConfig', flag: 'Mode', on: isActive },
  'AWS::ApiGateway::Stage': { info: XRayTracing.API_STAGE_WITHOUT_TRACING, flag: 'TracingEnabled', on: isTrue },
  'AWS::ApiGateway::Deployment': { info: XRayTracing.API_STAGE_WITHOUT_TRACING, container: 'StageDescription', flag: 'TracingEnabled', on: isTrue },
  'AWS::StepFunctions::StateMachine': { info: XRayTracing.STATE_MACHINE_WITHOUT_TRACING, container: 'TracingConfiguration', flag: 'Enabled', on: isTrue },
  'AWS::AppSync::GraphQLApi': { info: XRayTracing.GRAPHQL_API_WITHOUT_TRACING, flag: 'XrayEnabled', on: isTrue },
};
