import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LIBRARY_FUNCTIONS, LIBRARY_SDK_CALLS } from '../facts/library-internals';
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
    // A custom-resources Provider's framework function calls the user's handlers it names in its environment: they serve the same users.
    for (const [framework, frameworkUsers] of [...users]) {
      const variables = framework.properties?.Environment;
      const values = TemplateValue.isObject(variables) && TemplateValue.isObject(variables.Variables) ? variables.Variables : {};
      for (const name of USER_HANDLER_VARIABLES) {
        const handler = values[name] === undefined ? undefined : functionNamed(framework.stack, values[name]);
        if (handler) for (const user of frameworkUsers) add(handler, user);
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
      const role = fn.stack.resource(TemplateValue.getAttTarget(fn.properties?.Role) ?? '');
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
 * Whether a function only backs CloudFormation custom resources (CDK's singleton providers: S3 auto-delete, AwsCustomResource,
 * log retention, bucket notifications). It runs at deploy time, never on a request path, so the rules about a workload's
 * runtime behaviour (tracing, alarms, log groups) do not apply to it; security rules still do.
 */
export function isCustomResourceProvider(resource: TemplateResource): boolean {
  return resource.type === 'AWS::Lambda::Function' && providerUsers(resource.stack).has(resource.logicalId);
}

// Construct ids CDK gives the providers it creates on its own, once per stack: core's CustomResourceProvider (S3
// auto-delete, ...), the logRetention function, the bucket-notifications handler, AwsCustomResource's singleton,
// s3-deployment's BucketDeployment handler (one per memory size, storage size and VPC: the suffix), and the framework
// functions of a custom-resources Provider. A user's own provider function has none of these ids.
const CDK_PROVIDER_IDS: readonly RegExp[] = [
  /^Custom::.+CustomResourceProvider$/,
  /^LogRetention[0-9a-f]{32}$/,
  /^BucketNotificationsHandler[0-9a-f]{32}$/,
  /^AWS[0-9a-f]{32}$/,
  /^Custom::CDKBucketDeployment[0-9A-F]{32}/,
  /^framework-(onEvent|onTimeout|isComplete)$/,
];

// Ids CDK gives the custom resources it adds inside the construct that asked for them (a BucketDeployment's carries the
// same suffix as its handler).
const CDK_CUSTOM_RESOURCE_IDS: readonly RegExp[] = [/^AutoDeleteObjectsCustomResource$/, /^LogRetention$/, /^Notifications$/, /^CustomResource(-[0-9A-Za-z-]+)?$/];

/**
 * For a function, role or policy of one of CDK's own custom-resource providers, the construct paths of the constructs
 * it was created for (the parents of the custom resources using it, e.g. the bucket whose autoDeleteObjects asked for
 * it, or the BucketDeployment whose handler may invalidate any CloudFront distribution); undefined for anything else, a
 * user's own provider function included. Findings on such resources are not the user's to fix in their code, so the
 * engine reports them as warnings naming those constructs.
 */
export function cdkProviderCreatedFor(stack: StackTemplate, logicalId: string): string[] | undefined {
  const users = providerUsers(stack).get(logicalId);
  if (!users || users.length === 0) return undefined;
  if (!stack.constructPathOf(logicalId).split('/').some(segment => CDK_PROVIDER_IDS.some(id => id.test(segment)))) {
    const library = libraryAskingForSdkCall(stack.constructOf(logicalId));
    return library ? [library.node.path] : undefined;
  }
  const creators = users.map(user => {
    const path = creatorPath(user).split('/');
    // CDK's own custom resource sits inside the construct that asked for it (Bucket/AutoDeleteObjectsCustomResource).
    if (path.length > 1 && CDK_CUSTOM_RESOURCE_IDS.some(id => id.test(path[path.length - 1]))) path.pop();
    return path.join('/');
  });
  return [...new Set(creators)];
}

/** The path of the construct a custom resource or caller was created for: its own, without CDK's `Resource`/`Default`. */
function creatorPath(user: TemplateResource): string {
  const path = user.constructPath.split('/');
  while (path.length > 1 && ['Default', 'Resource'].includes(path[path.length - 1])) path.pop();
  return path.join('/');
}

/**
 * For a function a library adds to the stack and calls at run time (`LIBRARY_FUNCTIONS`: ses.ReceiptRuleSet's spam
 * filter), or its role or the role's policies, whom it was created for: the constructs of the resources that call it.
 * Found by its construct id, which starts the logical ids CDK derives below it. Undefined for anything else, and for such
 * a function nothing in the template calls.
 */
export function libraryFunctionCreatedFor(stack: StackTemplate, logicalId: string): CreatedFor | undefined {
  // CDK derives the logical ids below such a function from its construct id: most findings are ruled out without reading a path.
  if (!LIBRARY_FUNCTIONS.some(f => logicalId.startsWith(f.id))) return undefined;
  const path = stack.constructPathOf(logicalId).split('/');
  const at = path.findIndex(segment => LIBRARY_FUNCTION_IDS.has(segment));
  if (at < 0) return undefined;
  const library = LIBRARY_FUNCTION_IDS.get(path[at])!;
  const functionPath = [...path.slice(0, at + 1), 'Resource'].join('/');
  const fn = stack.resourcesOfType('AWS::Lambda::Function').find(r => r.constructPath === functionPath);
  const callers = fn ? stack.resourcesOfType(library.usedBy).filter(r => JSON.stringify(r.properties ?? {}).includes(`"${fn.logicalId}"`)) : [];
  return callers.length > 0 ? { constructs: [...new Set(callers.map(creatorPath))], how: library.how } : undefined;
}

const LIBRARY_FUNCTION_IDS = new Map(LIBRARY_FUNCTIONS.map(f => [f.id, f]));

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
