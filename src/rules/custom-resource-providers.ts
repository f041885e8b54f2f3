import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LIBRARY_FUNCTIONS, LIBRARY_SDK_CALLS, LibraryFunction } from '../facts/library-internals';
import { followedResource } from './events/deliveries';
import { APP_CONTAINERS, libraryClassOf } from './library-constructs';
import { CreatedFor } from './rule';
import { StackTemplate, TemplatePeers, TemplateResource } from './stack-template';
import { TemplateValue } from './template-value';

// Environment variables through which a custom-resources Provider's framework function names the user's handlers.
const USER_HANDLER_VARIABLES = ['USER_ON_EVENT_FUNCTION_ARN', 'USER_IS_COMPLETE_FUNCTION_ARN'];

/**
 * The custom resources that use each provider resource of a template, by logical id: a function named by a
 * `ServiceToken` (GetAtt Arn or Ref) or, behind a custom-resources Provider, a handler its framework function calls,
 * its execution role and the policies attached to that role. The custom resources may be in any template validated with
 * it (a platform stack's provider whose service token other stacks import). CDK creates these providers once per stack
 * (S3 auto-delete, AwsCustomResource, log retention, bucket notifications), outside the construct that needs them, so
 * acknowledgements are read from the constructs that own the custom resources.
 */
export function providerUsers(stack: StackTemplate): ReadonlyMap<string, readonly TemplateResource[]> {
  return stack.memo('custom-resource-providers', () => {
    const mine = new Map<string, readonly TemplateResource[]>();
    for (const [provider, users] of usersAcrossStacks(stack.peers)) if (provider.stack === stack) mine.set(provider.logicalId, users);
    return mine;
  });
}

/** The custom resources using each provider resource, over every template validated together, computed once. */
function usersAcrossStacks(peers: TemplatePeers): ReadonlyMap<TemplateResource, readonly TemplateResource[]> {
  return peers.memo('custom-resource-providers', () => {
    const users = new Map<TemplateResource, TemplateResource[]>();
    const add = (provider: TemplateResource, user: TemplateResource) => {
      const list = users.get(provider);
      if (!list) users.set(provider, [user]); else if (!list.includes(user)) list.push(user);
    };
    // The function a value names by Ref or Fn::GetAtt, followed through nested-stack parameters and outputs and imports.
    const functionNamed = (stack: StackTemplate, value: unknown) => followedResource(stack, value, 'AWS::Lambda::Function');
    for (const template of peers.templates) {
      for (const resource of template.resources) {
        const token = resource.properties?.ServiceToken;
        const fn = token === undefined ? undefined : functionNamed(template, token);
        if (fn) add(fn, resource);
      }
    }
    // A custom-resources Provider's framework function calls the user's handlers it names in its environment, and with an
    // isComplete handler starts its waiter state machine, which runs the framework's isComplete and onTimeout functions:
    // they serve the same users.
    for (const [framework, frameworkUsers] of [...users]) {
      for (const part of frameworkParts(framework)) for (const user of frameworkUsers) add(part, user);
    }
    // An integ-tests-alpha assertion that waits for its result names, in `stateMachineArn`, the waiter state machine its
    // provider starts, which runs the library's isComplete and onTimeout functions: they serve the same assertion.
    for (const template of peers.templates) {
      for (const assertion of template.resources) {
        if (!assertion.type.startsWith(ASSERTION_TYPE_PREFIX)) continue;
        const waiter = template.resource(TemplateValue.refTarget(assertion.properties?.stateMachineArn) ?? '');
        if (waiter?.type !== 'AWS::StepFunctions::StateMachine') continue;
        for (const part of [waiter, ...functionsRunBy(waiter)]) add(part, assertion);
      }
    }
    // The log group CDK creates for each function under @aws-cdk/aws-lambda:useCdkManagedLogGroup (`<function>/LogGroup`,
    // named /aws/lambda/<function>) serves the function's users.
    for (const template of peers.templates) {
      for (const logGroup of template.resourcesOfType('AWS::Logs::LogGroup')) {
        const fn = template.resource(functionLogGroupOf(logGroup) ?? '');
        for (const user of (fn && users.get(fn)) ?? []) add(logGroup, user);
      }
    }
    const roles = new Map<TemplateResource, readonly TemplateResource[]>();
    for (const [fn, fnUsers] of [...users]) {
      const role = fn.stack.resource(TemplateValue.getAttTarget(fn.properties?.Role ?? fn.properties?.RoleArn) ?? '');
      if (role?.type !== 'AWS::IAM::Role') continue;
      // Several providers may share one role: its policies serve the users of all of them.
      roles.set(role, [...new Set([...(roles.get(role) ?? []), ...fnUsers])]);
      for (const user of fnUsers) add(role, user);
    }
    for (const template of peers.templates) {
      for (const policy of template.resourcesOfType('AWS::IAM::Policy')) {
        const attached = policy.properties?.Roles;
        for (const name of Array.isArray(attached) ? attached : []) {
          const role = template.resource(TemplateValue.refTarget(name) ?? '');
          for (const user of (role && roles.get(role)) ?? []) add(policy, user);
        }
      }
    }
    return users;
  });
}

/**
 * The logical id of the function whose log group this is, when CDK created it with the function: a log group named
 * `/aws/lambda/` followed by a `Ref` to a function of the same template.
 */
export function functionLogGroupOf(logGroup: TemplateResource): string | undefined {
  const parts = TemplateValue.stringParts(logGroup.properties?.LogGroupName);
  if (parts?.length !== 2 || parts[0] !== '/aws/lambda/') return undefined;
  const target = TemplateValue.refTarget(parts[1]);
  return target !== undefined && logGroup.stack.resource(target)?.type === 'AWS::Lambda::Function' ? target : undefined;
}

/**
 * The functions and state machine a custom-resources Provider's framework function works with, read from its environment:
 * the user's handlers, and with an isComplete handler the waiter state machine and the framework functions it runs.
 * Empty for any other function.
 */
function frameworkParts(framework: TemplateResource): TemplateResource[] {
  const variables = framework.properties?.Environment;
  const values = TemplateValue.isObject(variables) && TemplateValue.isObject(variables.Variables) ? variables.Variables : {};
  if (values[USER_HANDLER_VARIABLES[0]] === undefined) return [];
  const parts = USER_HANDLER_VARIABLES.flatMap(name => {
    const handler = values[name] === undefined ? undefined : followedResource(framework.stack, values[name], 'AWS::Lambda::Function');
    return handler ? [handler] : [];
  });
  const waiter = framework.stack.resource(TemplateValue.refTarget(values[WAITER_VARIABLE]) ?? '');
  if (waiter?.type !== 'AWS::StepFunctions::StateMachine') return parts;
  return [...parts, waiter, ...functionsRunBy(waiter)];
}

/** The functions of its own template a state machine's definition names by `Fn::GetAtt` (its Lambda tasks' resources). */
function functionsRunBy(stateMachine: TemplateResource): TemplateResource[] {
  return (TemplateValue.stringParts(stateMachine.properties?.DefinitionString) ?? []).flatMap(part => {
    const fn = stateMachine.stack.resource(TemplateValue.getAttTarget(part) ?? '');
    return fn?.type === 'AWS::Lambda::Function' ? [fn] : [];
  });
}

// The type integ-tests-alpha's assertions (`Custom::DeployAssert@SdkCall...`, `@HttpCall...`, `@AssertEquals`) start with.
const ASSERTION_TYPE_PREFIX = 'Custom::DeployAssert@';

// The environment variable through which a Provider's framework function names its waiter state machine.
const WAITER_VARIABLE = 'WAITER_STATE_MACHINE_ARN';

/**
 * The logical ids of a template's custom-resources Provider parts (framework functions, the handlers they call, the
 * waiter state machine), found from the framework functions' environments whether or not a custom resource uses the
 * provider yet (eks.Cluster's kubectl provider exists before any manifest does).
 */
function providerFrameworks(stack: StackTemplate): ReadonlySet<string> {
  return stack.memo('custom-resource-provider-frameworks', () => {
    const ids = new Set<string>();
    for (const fn of stack.resourcesOfType('AWS::Lambda::Function')) {
      const parts = frameworkParts(fn);
      if (parts.length === 0) continue;
      ids.add(fn.logicalId);
      for (const part of parts) if (part.stack === stack) ids.add(part.logicalId);
    }
    return ids;
  });
}

/**
 * Whether a function or state machine only backs CloudFormation custom resources (CDK's singleton providers: S3
 * auto-delete, AwsCustomResource, log retention, bucket notifications; a custom-resources Provider's framework functions,
 * handlers and waiter state machine). It runs at deploy time, never on a request path, so the rules about a workload's
 * runtime behaviour (tracing, alarms, log groups, sizing, task retries) do not apply to it; security rules still do.
 */
export function isCustomResourceProvider(resource: TemplateResource): boolean {
  if (resource.type !== 'AWS::Lambda::Function' && resource.type !== 'AWS::StepFunctions::StateMachine') return false;
  return providerUsers(resource.stack).has(resource.logicalId) || providerFrameworks(resource.stack).has(resource.logicalId);
}

// Construct ids CDK gives the providers it creates on its own, once per stack: core's CustomResourceProvider (S3
// auto-delete, ...), the logRetention function, the bucket-notifications handler, AwsCustomResource's singleton,
// s3-deployment's BucketDeployment handler (one per memory size, storage size and VPC: the suffix), the framework
// functions and waiter state machine of a custom-resources Provider, integ-tests-alpha's assertion providers (one per
// stack and handler: `SingletonFunction` and a uuid) and its assertions, whose waiter state machines sit inside them
// (`AwsApiCall<service><api><hash>/WaitFor`). A user's own provider function has none of these ids.
const CDK_PROVIDER_IDS: readonly RegExp[] = [
  /^Custom::.+CustomResourceProvider$/,
  /^LogRetention[0-9a-f]{32}$/,
  /^BucketNotificationsHandler[0-9a-f]{32}$/,
  /^AWS[0-9a-f]{32}$/,
  /^Custom::CDKBucketDeployment[0-9A-F]{32}/,
  /^framework-(onEvent|onTimeout|isComplete)$/,
  /^waiter-state-machine$/,
  /^SingletonFunction[0-9a-f]{32}$/,
  /^(AwsApiCall|HttpApiCall|LambdaInvoke).*[0-9a-f]{32}\d*$/,
];

// How the ids of the nested stacks CDK adds once per stack for a library's providers start in construct paths, where `/`
// is written `--` ('@aws-cdk/aws-eks.KubectlProvider', '@aws-cdk/aws-eks.ClusterResourceProvider',
// '@aws-cdk/aws-dynamodb.ReplicaProvider'): an app's own construct ids do not take CDK's package scope.
const CDK_SINGLETON_PREFIX = '@aws-cdk--';
// The same prefix in a logical id, which CDK builds from the path's letters and digits.
const CDK_SINGLETON_LOGICAL_ID = 'awscdk';
// The construct a NestedStack puts its resource in (`<id>.NestedStack`), beside the nested stack itself (`<id>`).
const NESTED_STACK_SUFFIX = /\.NestedStack$/;

// Ids CDK gives the custom resources it adds inside the construct that asked for them (a BucketDeployment's carries the
// same suffix as its handler).
const CDK_CUSTOM_RESOURCE_IDS: readonly RegExp[] = [/^AutoDeleteObjectsCustomResource$/, /^LogRetention$/, /^Notifications$/, /^CustomResource(-[0-9A-Za-z-]+)?$/];

/**
 * For a function, role or policy of one of CDK's own custom-resource providers, the construct paths of the constructs
 * it was created for (the parents of the custom resources using it, e.g. the bucket whose autoDeleteObjects asked for
 * it, or the BucketDeployment whose handler may invalidate any CloudFront distribution), or for any element of a nested
 * stack CDK adds once per stack that no custom resource uses yet (eks.Cluster's kubectl provider), or for that nested
 * stack's own resource in its parent's template, that nested stack;
 * undefined for anything else, a user's own provider function included. Findings on such resources are not the user's
 * to fix in their code, so the engine reports them as warnings naming those constructs.
 */
export function cdkProviderCreatedFor(stack: StackTemplate, logicalId: string): string[] | undefined {
  const users = providerUsers(stack).get(logicalId);
  // Below a nested stack CDK adds once per stack, everything is CDK's, whether or not a custom resource uses it yet. Such
  // a nested stack has a template of its own, whose path or file name says so: most findings are ruled out before their
  // own path is read.
  // That nested stack's own resource sits in its parent's template, at `<parent>/<id>.NestedStack/<id>.NestedStackResource`,
  // under a logical id that also starts with CDK's scope ('awscdkawseksKubectlProviderNestedStack...').
  const mayBeSingleton = mayHoldCdkSingleton(stack) || logicalId.toLowerCase().startsWith(CDK_SINGLETON_LOGICAL_ID);
  if ((!users || users.length === 0) && !mayBeSingleton) return undefined;
  const path = stack.constructPathOf(logicalId).split('/');
  const singleton = mayBeSingleton ? path.findIndex(segment => segment.startsWith(CDK_SINGLETON_PREFIX)) : -1;
  if (!users || users.length === 0) return singleton > 0 ? [path.slice(0, singleton + 1).join('/').replace(NESTED_STACK_SUFFIX, '')] : undefined;
  if (singleton < 0 && !path.some(segment => CDK_PROVIDER_IDS.some(id => id.test(segment)))) {
    const library = libraryAskingForSdkCall(stack.constructOf(logicalId));
    return library ? [library.node.path] : undefined;
  }
  const creators = users.map(user => {
    const creator = creatorPath(user).split('/');
    // CDK's own custom resource sits inside the construct that asked for it (Bucket/AutoDeleteObjectsCustomResource).
    if (creator.length > 1 && CDK_CUSTOM_RESOURCE_IDS.some(id => id.test(creator[creator.length - 1]))) creator.pop();
    return creator.join('/');
  });
  return [...new Set(creators)];
}

/**
 * Whether a template may be one of CDK's per-stack nested stacks: its construct path (`@aws-cdk--aws-eks.KubectlProvider`)
 * or, for a template read without its app, its file name (`<stack>awscdkawseksKubectlProvider<hash>.nested.template.json`)
 * names CDK's package scope. A false positive only costs reading the paths.
 */
function mayHoldCdkSingleton(stack: StackTemplate): boolean {
  return stack.memo('cdk-singleton-hint', () => `${stack.path} ${stack.templatePath}`.toLowerCase().replace(/[^a-z]/g, '').includes('awscdk'));
}

/** The path of the construct a custom resource or caller was created for: its own, without CDK's `Resource`/`Default`. */
function creatorPath(user: TemplateResource): string {
  const path = user.constructPath.split('/');
  while (path.length > 1 && ['Default', 'Resource'].includes(path[path.length - 1])) path.pop();
  return path.join('/');
}

/**
 * For a function a library adds and calls at run time (`LIBRARY_FUNCTIONS`: ses.ReceiptRuleSet's spam filter,
 * ConfirmPermissionsBroadening's auto-approve function), or its role or the role's policies, whom it was created for: the
 * constructs of the resources that call it. Found by its construct id, which the logical ids CDK derives below it contain.
 * Undefined for anything else, and for such a function nothing in the template calls.
 */
export function libraryFunctionCreatedFor(stack: StackTemplate, logicalId: string, ruleId?: string): CreatedFor | undefined {
  // CDK derives the logical ids below such a function from its construct id: most findings are ruled out without reading a path.
  if (!LIBRARY_FUNCTIONS.some(f => logicalId.includes(f.id))) return undefined;
  const path = stack.constructPathOf(logicalId).split('/');
  const at = path.findIndex(segment => LIBRARY_FUNCTION_IDS.has(segment));
  if (at < 0) return undefined;
  const library = LIBRARY_FUNCTION_IDS.get(path[at])!;
  if (library.rules && !(ruleId !== undefined && library.rules.some(prefix => ruleId.startsWith(prefix)))) return undefined;
  const functionPath = [...path.slice(0, at + 1), 'Resource'].join('/');
  const fn = stack.resourcesOfType('AWS::Lambda::Function').find(r => r.constructPath === functionPath);
  const callers = fn ? stack.resourcesOfType(library.usedBy).filter(r => JSON.stringify(r.properties ?? {}).includes(`"${fn.logicalId}"`)) : [];
  return callers.length > 0 ? { constructs: [...new Set(callers.map(creatorPath))], how: library.how } : undefined;
}

const LIBRARY_FUNCTION_IDS = new Map(LIBRARY_FUNCTIONS.map(f => [f.id, f]));

/**
 * When a function is one of `LIBRARY_FUNCTIONS` whose callers' targets are the library's too (events-targets.AwsApi's), that
 * library function; undefined for any other function.
 */
export function libraryTargetFunction(fn: TemplateResource): LibraryFunction | undefined {
  const library = LIBRARY_FUNCTIONS.find(f => f.targetIsLibrary && fn.logicalId.includes(f.id));
  return library && fn.constructPath.split('/').includes(library.id) ? library : undefined;
}

const AWS_CUSTOM_RESOURCE = 'aws-cdk-lib.custom_resources.AwsCustomResource';

/**
 * When `element` (an AwsCustomResource's policy) belongs to an AwsCustomResource that a library construct created for
 * itself (opensearch.Domain's log-group resource policy, ...), that construct; or, for one a library put into a stack
 * for one of its constructs (`LIBRARY_SDK_CALLS`: a CloudWatchLogGroup target's log-group resource policy), that
 * construct (the rule). The call and its policy are the library's code, which the app cannot change. Undefined for an
 * AwsCustomResource the app creates in its own stacks and constructs.
 */
function libraryAskingForSdkCall(element: IConstruct | undefined): IConstruct | undefined {
  for (let scope = element?.node.scope; scope; scope = scope.node.scope) {
    if (libraryClassOf(scope) !== AWS_CUSTOM_RESOURCE) continue;
    const asking = scope.node.scope;
    const type = asking && libraryClassOf(asking);
    if (type && !APP_CONTAINERS.has(type)) return asking;
    return targetAskingForSdkCall(scope);
  }
  return undefined;
}

/** For an AwsCustomResource a library puts into a stack for one of its constructs (`LIBRARY_SDK_CALLS`), that construct. */
function targetAskingForSdkCall(call: IConstruct): IConstruct | undefined {
  const className = Object.getPrototypeOf(call)?.constructor?.name;
  const known = LIBRARY_SDK_CALLS.find(c => c.className === className && call.node.id.startsWith(c.idPrefix));
  if (!known) return undefined;
  const servedId = call.node.id.slice(known.idPrefix.length);
  return call.node.root.node.findAll().find(c => c !== call && libraryClassOf(c) === known.serves && Names.nodeUniqueId(c.node) === servedId);
}
