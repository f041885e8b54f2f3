import { IAM_ACTION_DATA } from '../../facts/resourceless-actions';
import { RESOURCE_NAMING_CONDITION_KEYS, SERVICE_ROLE_WILDCARDS, ServiceRoleSource, allowedOnEveryResource, coveredActions, isKnownAction } from '../../facts/wildcard-resource-actions';
import { cdkProviderCreatedFor } from '../custom-resource-providers';
import { executeCommandRoles } from '../ecs/execute-command-roles';
import { fluentBitRoles } from '../ecs/fluent-bit-router';
import { followedResource, listOf, resolveAcrossStacks } from '../events/deliveries';
import { LibraryInternalOwner, createdForLibrary, libraryInternalOf, libraryWildcardActions } from '../library-constructs';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { codeBuildSessionRoles } from './codebuild-session-roles';
import { pipelineActionRoles } from './pipeline-action-roles';
import { IDENTITY_POLICY_TYPES, PolicyStatement, elementValues, literalStrings, policyStatements, rolesOf, trustsOnlyService } from './policy-statements';


/**
 * C06: Allow statements of identity policies (AWS::IAM::Policy, ManagedPolicy, and inline policies
 * of roles, users and groups) name their actions and resources. `Action: "*"` or `service:*` is
 * reported, and so is `Resource: "*"` for any action `allowedOnEveryResource` does not accept (actions that
 * accept only `*`); as a warning for an action the IAM data does not know (`isKnownAction`), which may take no resource. An Allow with `NotAction` or `NotResource` (everything except the list) is reported
 * like the wildcard it amounts to. Deny statements narrow access, so they may use wildcards and inversions. Resource policies
 * (bucket, key and queue policies) are not identity policies and are not judged here. Must not judge `Resource: "*"` for
 * the actions of a service whose condition key names one resource and is pinned to exact values
 * (`RESOURCE_NAMING_CONDITION_KEYS`: CDK's EFS mount grant for a function), nor the actions a service needs on `*` in a
 * role it alone assumes and uses (`SERVICE_ROLE_WILDCARDS`: a Cognito user pool's SMS role, an Amazon MWAA execution role,
 * a VPC function's execution role). The actions and service wildcards a library allows on `*` in a role it creates
 * (`LIBRARY_INTERNALS`) are reported apart, as a warning naming the library construct. A managed policy that only serves as a
 * permissions boundary (`boundaryOnly`) grants nothing and is not judged.
 */
const BOUNDARY_NOT_JUDGED = 'Not judged: a managed policy that only serves as a permissions boundary (a role or user names it in PermissionsBoundary, and nothing attaches it), ' +
  'which caps what its principals may do and grants nothing.';

export class PolicyWildcards implements FintechRule {
  /** Metadata of `Fintech-C06-WildcardAction`. */
  public static readonly WILDCARD_ACTION: RuleInfo = {
    id: 'Fintech-C06-WildcardAction',
    catalogId: 'C06',
    title: 'IAM policies name their actions instead of * or service:*',
    description: 'Action "*" or "service:*" grants every present and future action of the service, including deletes and permission changes, so one compromised function can destroy or exfiltrate everything it reaches. ' +
      'Reported as warnings naming the library construct: the service wildcards a library writes into a role it creates (a BastionHostLinux\'s ' +
      '"ssmmessages:*" and "ec2messages:*" for Session Manager) or into a policy it attaches (a replicated dynamodb.Table\'s "dynamodb:*" for ' +
      'CDK\'s replica provider), while any other the app adds to that role stays an error. ' + BOUNDARY_NOT_JUDGED,
    fix: "Use the construct's grant methods (table.grantReadWriteData(fn)), or list the exact actions the code calls.",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C06-WildcardResource`. */
  public static readonly WILDCARD_RESOURCE: RuleInfo = {
    id: 'Fintech-C06-WildcardResource',
    catalogId: 'C06',
    title: 'IAM policies name their resources unless the action accepts only *',
    description: 'Resource "*" extends an action to every resource of the account, including other teams\' and other stages\' data; only actions that have no resource type (e.g. xray:PutTraceSegments) need it: every action the Service Authorization Reference lists without one (src/facts/resourceless-actions.ts, generated from cfn-lint\'s IAM data) may be allowed on "*", and so may the actions whose every resource type is an optional customization of a model AWS owns (comprehend:DetectEntities, polly:SynthesizeSpeech, translate:TranslateText, ce:GetCostAndUsage and a few more: a lexicon, terminology or custom billing view is optional, and a call without one names no resource), s3-object-lambda:WriteGetObjectResponse (addressed by the token of the event that invoked the function, as AWS documents it on "*") and the wildcard actions listed in src/facts/wildcard-resource-actions.ts. ' +
      'An action the IAM data does not know (newer than the data, or misspelt) is reported on "*" as a warning: whether it takes a resource cannot be told. ' +
      'An ARN as broad, naming every bucket or object (arn:aws:s3:::*) or every resource of a type in every account (arn:aws:dynamodb:*:*:table/*), counts as "*" ' +
      'when its statement has no condition; one account\'s ARNs (network-interface/* of the account) are not judged. ' +
      `${BOUNDARY_NOT_JUDGED} Not judged either: actions of a service whose condition key names the one resource they act on (${RESOURCE_NAMING_CONDITION_KEYS.join(', ')}), pinned by StringEquals or ArnEquals to values without wildcards; and sns:Publish in a Cognito user pool\'s SMS role (SmsConfiguration.SnsCallerArn) that only cognito-idp.amazonaws.com may assume, which sends SMS messages to phone numbers, which have no ARN (the Cognito Developer Guide\'s SMS role policy); and, in an Amazon MWAA environment\'s execution role that only the airflow services may assume, kms:Decrypt, DescribeKey, GenerateDataKey* and Encrypt on "*" or with NotResource, narrowed by kms:ViaService: MWAA\'s Celery queues use keys of an account of its own, which no ARN of the user\'s can name (the MWAA User Guide\'s execution role policy); ` +
      'and, in the execution role of a function in a VPC (VpcConfig.SubnetIds set, in some branch of a condition synth cannot decide) that only lambda.amazonaws.com may assume, ec2:CreateNetworkInterface, ' +
      'DeleteNetworkInterface, DetachNetworkInterface, AssignPrivateIpAddresses and UnassignPrivateIpAddresses on "*": Lambda manages the function\'s network interfaces with that role, ' +
      'as the Lambda Developer Guide says and AWS\'s managed policy AWSLambdaVPCAccessExecutionRole (which lambda.Function attaches there) and SAM\'s VPCAccessPolicy allow them; outside a VPC they stay errors. ' +
      'A wildcard action (ec2:De*NetworkInterface) counts as the actions the IAM data knows it to cover, each of which must be allowed so. ' +
      'Nor are ec2:CreateNetworkInterface and DeleteNetworkInterface judged on "*" in the execution role (only lambda.amazonaws.com may assume it) of a function an event source mapping runs on an Amazon MQ broker, an MSK cluster ' +
      'or a DocumentDB change stream, in a VPC or not: Lambda\'s poller reaches the source through network interfaces it creates with that role, as the guide lists for those sources and AWSLambdaMSKExecutionRole allows; a mapping of a queue or stream needs none. ' +
      'Reported as warnings naming the library construct: the actions a library allows on "*" in a role it creates (CDK Pipelines\' self-mutation ' +
      'and asset publishing roles, a cross-region pipeline\'s role, a BastionHostLinux\'s instance role, a DnsValidatedCertificate\'s requestor, the statements Step Functions tasks (EcsRunTask .sync, Athena, SageMaker, EmrCreateCluster, MediaConvertCreateJob) write into a state machine\'s role, the execution role a SageMaker training or model task creates, the CloudFront invalidation a BucketDeployment writes into a role the app passes it, the awslogs statements an ECS cluster writes into its EC2 capacity\'s instance role, ' +
      'the VPC policy of a CodeBuild project in a VPC, the alarm role of an AppConfig environment with monitors, an EKS cluster\'s creation role, ' +
      'the IAM policy AWS publishes for the AWS Load Balancer Controller in the service account an EKS cluster\'s albController creates, ' +
      'the VPC CNI plugin\'s IPv6 statement (ec2:AssignIpv6Addresses, ec2:UnassignIpv6Addresses on every account\'s network interfaces) in the node role an EKS managed node group of an IPv6 cluster creates, ' +
      'the role of the security check project a CDK Pipelines ConfirmPermissionsBroadening step adds, the replication role a bucket with ' +
      'replicationRules creates, granted a destination key of another region or account on "*"), and the statements a library writes into a role the template shows it runs: the ECS and CodeDeploy-to-ECS deploy actions of a CDK codepipeline.Pipeline in the role their action runs with, ecs.obtainDefaultFluentBitECRImage in the roles of a task definition whose FireLens router runs its image (the router a task definition adds for a FireLens container, whose log group\'s retention and removal findings are the library\'s too), and an ECS service with enableExecuteCommand in its task role, for the session logs (s3:GetBucketLocation; the log writes while no session log group is named and the feature flag @aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions is off), and a CodeBuild project with ssmSessionPermissions in its role, for the Session Manager session logs (log writes and s3:PutObject, s3:GetEncryptionConfiguration, in the statement that holds the session channel actions). Any other action the app adds to those roles stays an error.',
    fix: "Use the construct's grant methods, or list the resource ARNs; keep \"*\" only for actions that accept nothing else.",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'PolicyWildcards';
  public readonly infos = [PolicyWildcards.WILDCARD_ACTION, PolicyWildcards.WILDCARD_RESOURCE];
  public readonly resourceTypes = IDENTITY_POLICY_TYPES;

  public checkResource(resource: TemplateResource): RuleFinding[] {
    // A permissions boundary caps what a role may do and grants nothing: its wildcards reach no resource.
    if (resource.type === 'AWS::IAM::ManagedPolicy' && boundaryOnly(resource)) return [];
    const allows = policyStatements(resource).filter(s => s.statement.Effect === 'Allow');
    const wildcardActions = allows.flatMap(s => problem(s, literalStrings(s.statement.Action).filter(isWildcardAction)));
    const onWildcardResource = allows.flatMap((s): Array<{ statement: PolicyStatement; resource?: string }> => {
      if (literalStrings(s.statement.Resource).includes('*')) return [{ statement: s, resource: undefined }];
      // An ARN as broad as "*" is judged only without a condition, which may narrow it (a resource tag, an organization).
      const everyAccount = s.statement.Condition === undefined
        ? elementValues(s.statement.Resource).map(everyAccountResource).find(arn => arn) : undefined;
      return everyAccount ? [{ statement: s, resource: everyAccount }] : [];
    });
    const allowsNotResource = allows.filter(s => s.statement.NotResource !== undefined);
    const serviceNeeds = onWildcardResource.length > 0 || allowsNotResource.length > 0 ? serviceRoleWildcards(resource) : NOTHING;
    const judgedOnWildcard = onWildcardResource.map(({ statement: s, resource: arn }) => {
      const pinned = servicesPinnedByCondition(s.statement.Condition);
      const named = literalStrings(s.statement.Action);
      const judged = (a: string) =>
        !isWildcardAction(a) && !allowedOnEveryResource(a) && !pinned.has(serviceOf(a)) && !neededByService(serviceNeeds, a, s);
      return { location: s.location, actions: named.filter(judged), resource: arn };
    });
    // An action the IAM data does not know may take no resource at all: reported apart, as a warning.
    const wildcardResources = judgedOnWildcard.flatMap(p => problemOf(p.location, p.actions.filter(isKnownAction), p.resource));
    const unknownOnWildcard = judgedOnWildcard.flatMap(p => problemOf(p.location, p.actions.filter(a => !isKnownAction(a)), p.resource));
    const findings: RuleFinding[] = [];
    // Allow with NotAction / NotResource inverts the list: everything except what is named.
    const notActions = allows.filter(s => s.statement.NotAction !== undefined);
    if (notActions.length > 0) {
      findings.push(findingOn(resource, PolicyWildcards.WILDCARD_ACTION.id,
        `${resource.type} ${resource.logicalId} allows with NotAction ${describeInverted(notActions, 'NotAction')}, i.e. every action of every service except those.`,
        notActions.map(s => s.location),
        'Replace NotAction with Action listing what the code calls (a grant method does it); use NotAction only in Deny statements.'));
    }
    // A service role's guide may name what it needs with NotResource under a condition (MWAA's keys outside the account).
    const notResources = allowsNotResource.filter(s => !neededUnderCondition(serviceNeeds, s));
    if (notResources.length > 0) {
      findings.push(findingOn(resource, PolicyWildcards.WILDCARD_RESOURCE.id,
        `${resource.type} ${resource.logicalId} allows on NotResource ${describeInverted(notResources, 'NotResource')}, i.e. on every resource of the account except those.`,
        notResources.map(s => s.location),
        'Replace NotResource with Resource listing the ARNs the code uses (a grant method does it); use NotResource only in Deny statements.'));
    }
    // Statements a library writes into a role it creates are its own (CDK Pipelines' self-mutation role, a bastion's
    // Session Manager statement, a state machine's task statements): reported apart, as a warning naming it, from what the
    // app added to the same role.
    // A CDK provider's role (a BucketDeployment's own handler's) is the provider's as a whole, which the engine reports.
    // A CodePipeline action's statements go into the role its action runs with, which the pipeline's template names; those
    // ecs.obtainDefaultFluentBitECRImage or an ECS service with ECS Exec write, into the roles of a task definition. Each
    // library's actions are reported apart, naming it.
    const libraries = (wildcardActions.length > 0 || wildcardResources.length > 0) && !cdkProviderCreatedFor(resource.stack, resource.logicalId)
      ? libraryOwners(resource) : [];
    const ownActions = libraries.map(library => libraryWildcardActions(library.internal, library.construct));
    // The first library that writes an action is its owner; what no library writes is the app's (-1).
    const ownerOf = (action: string) => ownActions.findIndex(actions => actions.has(action.toLowerCase()));
    const report = (problems: readonly StatementProblem[], finding: (problems: readonly StatementProblem[]) => RuleFinding) => {
      const byOwner = (owner: number) => problems.flatMap(p => problemOf(p.location, p.actions.filter(a => ownerOf(a) === owner), p.resource));
      const apps = byOwner(-1);
      if (apps.length > 0) findings.push(finding(apps));
      libraries.forEach((library, i) => {
        const theirs = byOwner(i);
        if (theirs.length > 0) findings.push({ ...finding(theirs), createdFor: createdForLibrary(library) });
      });
    };
    report(wildcardActions, problems => findingOn(resource, PolicyWildcards.WILDCARD_ACTION.id,
      `${resource.type} ${resource.logicalId} allows ${describe(problems)}, i.e. every action of the service.`,
      problems.map(p => p.location)));
    report(unknownOnWildcard, problems => ({
      ...findingOn(resource, PolicyWildcards.WILDCARD_RESOURCE.id,
        `${resource.type} ${resource.logicalId} allows ${describe(problems, true)}, actions ${IAM_ACTION_DATA} does not know: ` +
        'newer than the data, or misspelt, so whether they accept resource ARNs cannot be told.',
        problems.map(p => p.location),
        'Check the spelling against the Service Authorization Reference; if the action takes a resource type, list those resource ARNs.'),
      severity: RuleSeverity.WARNING,
    }));
    report(wildcardResources, problems => findingOn(resource, PolicyWildcards.WILDCARD_RESOURCE.id,
      problems.every(p => p.resource === undefined)
        ? `${resource.type} ${resource.logicalId} allows ${describe(problems)} on Resource "*", though those actions accept specific resource ARNs.`
        : `${resource.type} ${resource.logicalId} allows ${describe(problems, true)}, which reaches every resource of the type in every account as "*" does, ` +
          'though those actions accept specific resource ARNs.',
      problems.map(p => p.location),
      problems.every(p => p.actions.every(a => serviceOf(a) === 'kms')) ? CROSS_ENVIRONMENT_KEY_FIX : undefined));
    return findings;
  }
}

// Only key actions on "*": what a grant of a key (key.grantDecrypt(role)) writes when the role's stack is in another account
// or region than the key's, where CloudFormation cannot name the key; the grant method the usual fix names did it.
const CROSS_ENVIRONMENT_KEY_FIX = 'List the key ARNs. If a grant method wrote "*" (key.grant* for a role in another account or region, ' +
  'whose stack cannot reference the key), import the key by ARN in the role\'s stack (kms.Key.fromKeyArn) and grant from that; ' +
  'the key policy still has to allow the role.';

// What the templates show libraries wrote into roles no library construct holds: a pipeline action's role, the roles of a
// task definition whose FireLens router runs the Fluent Bit image the library picks, an ECS Exec service's task role, and
// the role of a CodeBuild project with Session Manager sessions (a role the app passes it, or its own).
const ROLE_WRITERS = [pipelineActionRoles, fluentBitRoles, executeCommandRoles, codeBuildSessionRoles];

/**
 * The libraries that wrote statements into an identity policy: the library internal it is created in (found through the
 * construct tree), or else each library the templates show wrote into one of its roles.
 */
function libraryOwners(resource: TemplateResource): LibraryInternalOwner[] {
  const internal = libraryInternalOf(resource.stack.constructOf(resource.logicalId), true);
  if (internal) return [internal];
  const roles = rolesOf(resource).filter((role): role is TemplateResource => role !== undefined);
  return ROLE_WRITERS.flatMap(writer => {
    const written = writer(resource.stack.peers);
    return roles.map(role => written.get(role)).find(owner => owner !== undefined) ?? [];
  });
}

interface StatementProblem {
  readonly location: string;
  readonly actions: readonly string[];
  /** The every-account ARN the actions are allowed on, when it is not "*". */
  readonly resource?: string;
}

function problem(statement: PolicyStatement, actions: readonly string[]): StatementProblem[] {
  return problemOf(statement.location, actions);
}

function problemOf(location: string, actions: readonly string[], resource?: string): StatementProblem[] {
  return actions.length > 0 ? [{ location, actions, resource }] : [];
}

/** The problems' actions and locations, with the resource each is allowed on when `withResource`. */
function describe(problems: readonly StatementProblem[], withResource = false): string {
  return problems.map(p => `${p.actions.map(a => `"${a}"`).join(', ')}${withResource ? ` on "${p.resource ?? '*'}"` : ''} (${p.location.replace(/^Properties\//, '')})`).join('; ');
}

// Partitions as a Resource ARN may write them: a name, a wildcard, or the AWS::Partition pseudo parameter CDK joins in.
const PARTITION = '(?:[a-z-]+|\\*|\\$\\{AWS::Partition\\})';
// Every bucket, or every object of every bucket: S3 ARNs hold no account.
const EVERY_S3_RESOURCE = new RegExp(`^arn:${PARTITION}:s3:::\\*(?:/\\*)?$`);
// Every resource, or every resource of one type (`table/*`, `key/*`, `function:*`), in every account.
const EVERY_ACCOUNT_RESOURCE = new RegExp(`^arn:${PARTITION}:[a-z0-9-]+:[^:]*:\\*:(?:\\*|[A-Za-z0-9-]+[/:]\\*)$`);

/** Whether an `Fn::Join` or `Fn::Sub` ends in a literal `*`, as every ARN `everyAccountResource` accepts does. */
function endsInWildcard(value: unknown): boolean {
  if (!TemplateValue.isObject(value)) return false;
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const parts = join[1];
    const last = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
    return typeof last === 'string' ? last.endsWith('*') : endsInWildcard(last);
  }
  const sub = value['Fn::Sub'];
  const text = Array.isArray(sub) ? sub[0] : sub;
  return typeof text === 'string' && text.endsWith('*');
}

/**
 * A Resource entry that reaches as far as "*" does: an ARN that names every bucket (`arn:aws:s3:::*`), every object of every
 * bucket (`arn:aws:s3:::*\/*`), or every resource of a type in every account (`arn:aws:dynamodb:*:*:table/*`), as written
 * (the partition may be the pseudo parameter); undefined for anything narrower or unknown. An ARN of one account
 * (`arn:aws:ec2:eu-west-1:123456789012:network-interface/*`) is not one: some actions need every resource of a type there.
 */
function everyAccountResource(value: unknown): string | undefined {
  // Most resources are literal ARNs, or joins, that do not end in a wildcard: decided without flattening them.
  if (typeof value === 'string') return value.endsWith('*') && (EVERY_S3_RESOURCE.test(value) || EVERY_ACCOUNT_RESOURCE.test(value)) ? value : undefined;
  if (!endsInWildcard(value)) return undefined;
  const parts = TemplateValue.stringParts(value);
  if (!parts) return undefined;
  const text = parts.map(part => (typeof part === 'string' ? part : TemplateValue.refTarget(part) === 'AWS::Partition' ? '${AWS::Partition}' : undefined));
  if (text.some(part => part === undefined)) return undefined;
  const arn = text.join('');
  return EVERY_S3_RESOURCE.test(arn) || EVERY_ACCOUNT_RESOURCE.test(arn) ? arn : undefined;
}

function describeInverted(statements: readonly PolicyStatement[], element: 'NotAction' | 'NotResource'): string {
  return statements.map(s => {
    const named = literalStrings(s.statement[element]);
    return `${named.length > 0 ? named.map(v => `"${v}"`).join(', ') : '(intrinsic)'} (${s.location.replace(/^Properties\//, '')})`;
  }).join('; ');
}

function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

const EXACT_OPERATORS = new Set(['stringequals', 'arnequals']);
const NAMING_KEYS = new Map(RESOURCE_NAMING_CONDITION_KEYS.map(key => [key.toLowerCase(), serviceOf(key)]));

/** The services (action prefixes, lower case) whose resource-naming condition key the condition pins to exact values. */
function servicesPinnedByCondition(condition: unknown): Set<string> {
  const services = new Set<string>();
  if (!TemplateValue.isObject(condition)) return services;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!EXACT_OPERATORS.has(operator.toLowerCase()) || !TemplateValue.isObject(keys)) continue;
    for (const [key, values] of Object.entries(keys)) {
      const service = NAMING_KEYS.get(key.toLowerCase());
      if (service && isExact(values)) services.add(service);
    }
  }
  return services;
}

/** Whether condition values are one or more strings without a literal wildcard (ARNs joined from references count). */
function isExact(values: unknown): boolean {
  const list = Array.isArray(values) ? values : [values];
  return list.length > 0 && list.every(value => {
    const parts = TemplateValue.stringParts(value);
    return parts !== undefined && parts.length > 0 && parts.every(part => typeof part !== 'string' || !/[*?]/.test(part));
  });
}

function serviceOf(action: string): string {
  return action.slice(0, Math.max(action.indexOf(':'), 0)).toLowerCase();
}

/** Actions (lower case) a service role may have on "*", each with the condition key (lower case) its statement must use, if any. */
type ServiceNeeds = ReadonlyMap<string, string | undefined>;

const NOTHING: ServiceNeeds = new Map();

/** Whether a service role may have `action` on "*" in `statement`: its service needs it, and the statement has the condition asked for. */
function neededByService(needs: ServiceNeeds, action: string, statement: PolicyStatement): boolean {
  if (needs.size === 0) return false;
  const lower = action.toLowerCase();
  const needed = (one: string) => needs.has(one) &&
    (needs.get(one) === undefined || conditionKeys(statement.statement.Condition).has(needs.get(one)!));
  if (needs.has(lower) || !/[*?]/.test(lower)) return needed(lower);
  // A wildcard the service's entry does not list (ec2:De*NetworkInterface) is needed when every action the IAM data knows
  // it to cover is, or needs no resource.
  const covered = coveredActions(lower);
  return covered.length > 0 && covered.every(one => allowedOnEveryResource(one) || needed(one));
}

/** Whether every action of a statement is one a service role needs under a condition key, which the statement uses. */
function neededUnderCondition(needs: ServiceNeeds, statement: PolicyStatement): boolean {
  const actions = elementValues(statement.statement.Action);
  return actions.every(a => typeof a === 'string' && needs.get(a.toLowerCase()) !== undefined && neededByService(needs, a, statement));
}

/** The condition keys (lower case) a statement's Condition uses, under any operator. */
function conditionKeys(condition: unknown): ReadonlySet<string> {
  if (!TemplateValue.isObject(condition)) return new Set();
  return new Set(Object.values(condition).flatMap(keys => (TemplateValue.isObject(keys) ? Object.keys(keys).map(key => key.toLowerCase()) : [])));
}

/**
 * The actions (lower case) a policy may allow on "*" because every role it is on is one that `SERVICE_ROLE_WILDCARDS`
 * knows: assumed by its service alone and named by the resource property the service uses it through. A policy on a
 * role any other principal may assume, on a user or group, or on a role the templates cannot name, gets none.
 */
function serviceRoleWildcards(resource: TemplateResource): ServiceNeeds {
  const roles = rolesOf(resource);
  if (roles.length === 0) return NOTHING;
  if (resource.type !== 'AWS::IAM::Role' && (listOf(resource.properties?.Users).length > 0 || listOf(resource.properties?.Groups).length > 0)) return NOTHING;
  const known = serviceRoles(resource.stack.peers);
  const needs = roles.map(role => (role ? known.get(role) : undefined));
  if (needs.some(need => need === undefined)) return NOTHING;
  // Only what every role of the policy may have on "*".
  return new Map([...needs[0]!].filter(([action]) => needs.every(need => need!.has(action))));
}

/**
 * Whether a managed policy serves only as a permissions boundary: some role or user of the validation names it in
 * `PermissionsBoundary`, and nothing attaches it (its own `Roles`, `Users` and `Groups` are empty, and no role, user or
 * group lists it in `ManagedPolicyArns`). A boundary is the most a principal's own policies may grant, so its statements
 * allow nothing by themselves, and the IAM user guide's boundaries allow their services on `"*"`.
 */
function boundaryOnly(policy: TemplateResource): boolean {
  if (['Roles', 'Users', 'Groups'].some(key => listOf(policy.properties?.[key]).length > 0)) return false;
  const uses = policyUses(policy.stack.peers).get(policy);
  return uses !== undefined && uses.boundary && !uses.attached;
}

const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** How the roles, users and groups of the validation use each managed policy of the templates: as a boundary, attached, or both. */
function policyUses(peers: TemplatePeers): ReadonlyMap<TemplateResource, { boundary: boolean; attached: boolean }> {
  return peers.memo('managed-policy-uses', () => {
    const uses = new Map<TemplateResource, { boundary: boolean; attached: boolean }>();
    const use = (policy: TemplateResource | undefined, how: 'boundary' | 'attached') => {
      if (!policy) return;
      let entry = uses.get(policy);
      if (!entry) uses.set(policy, entry = { boundary: false, attached: false });
      entry[how] = true;
    };
    for (const stack of peers.templates) {
      for (const type of PRINCIPAL_TYPES) {
        for (const principal of stack.resourcesOfType(type)) {
          const boundary = principal.properties?.PermissionsBoundary;
          if (boundary !== undefined) use(followedResource(stack, boundary, 'AWS::IAM::ManagedPolicy'), 'boundary');
          for (const arn of listOf(principal.properties?.ManagedPolicyArns)) use(followedResource(stack, arn, 'AWS::IAM::ManagedPolicy'), 'attached');
        }
      }
    }
    return uses;
  });
}

/** The value at a property path (keys joined by `.`) of a resource. */
function propertyAt(resource: TemplateResource, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (TemplateValue.isObject(at) ? at[key] : undefined), resource.properties);
}

/**
 * Whether a property path (its keys) is set below a value, to anything but an empty list: in some branch of each `Fn::If`
 * along it, since a condition synth cannot decide (a parameter's) may take that branch.
 */
function isSetAt(value: unknown, keys: readonly string[]): boolean {
  const condition = TemplateValue.isObject(value) ? value['Fn::If'] : undefined;
  if (Array.isArray(condition) && condition.length === 3) return condition.slice(1).some(branch => isSetAt(branch, keys));
  if (value === undefined || TemplateValue.isNoValue(value)) return false;
  if (keys.length === 0) return !(Array.isArray(value) && value.length === 0);
  return TemplateValue.isObject(value) && isSetAt(value[keys[0]], keys.slice(1));
}

/** The resource of type `type` a resource's property names, across the validation's stacks. */
function followed(resource: TemplateResource, path: string, type: string): TemplateResource | undefined {
  const value = propertyAt(resource, path);
  return value === undefined ? undefined : followedResource(resource.stack, value, type);
}

/** Whether a value names a resource of one of `source`'s types, or is a literal ARN of one of its services. */
function namesSource(resource: TemplateResource, value: unknown, source: ServiceRoleSource): boolean {
  const { target, value: resolved } = resolveAcrossStacks(resource.stack, value);
  if (target.kind === 'resource') return source.types.includes(target.resource.type);
  return typeof resolved === 'string' && source.arnServices.some(service => resolved.startsWith('arn:') && resolved.split(':')[2] === service);
}

/** The roles of the validation that `SERVICE_ROLE_WILDCARDS` knows, each with the actions its service needs on "*". */
function serviceRoles(peers: TemplatePeers): ReadonlyMap<TemplateResource, ServiceNeeds> {
  return peers.memo('service-role-wildcards', () => {
    const roles = new Map<TemplateResource, Map<string, string | undefined>>();
    for (const entry of SERVICE_ROLE_WILDCARDS) {
      const service = new RegExp(`^(${entry.services.map(name => name.replace(/\./g, '\\.')).join('|')})(\\.cn)?$`);
      for (const stack of peers.templates) {
        for (const user of stack.resourcesOfType(entry.usedBy)) {
          if (entry.whenSet !== undefined && !isSetAt(user.properties, entry.whenSet.split('.'))) continue;
          if (entry.whenSet !== undefined && entry.whenSetTo && !namesSource(user, propertyAt(user, entry.whenSet), entry.whenSetTo)) continue;
          const linked = entry.through ? followed(user, entry.property, entry.through.type) : user;
          const value = linked && propertyAt(linked, entry.through?.property ?? entry.property);
          const role = value === undefined ? undefined : followedResource(linked!.stack, value, 'AWS::IAM::Role');
          if (!role || !trustsOnlyService(role.properties?.AssumeRolePolicyDocument, service)) continue;
          let actions = roles.get(role);
          if (!actions) roles.set(role, actions = new Map());
          for (const action of entry.actions) actions.set(action.toLowerCase(), entry.conditionKey?.toLowerCase());
        }
      }
    }
    return roles;
  });
}
