import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { documentStatements, isEveryone, literalStrings, PolicyStatement } from './policy-statements';

/** Where each resource type keeps its resource policy document. */
const POLICY_PROPERTIES: { readonly [type: string]: string } = {
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
};

/** Permissions that name their principal in a property of their own instead of a policy document. */
const PERMISSION_TYPES = ['AWS::Lambda::Permission', 'AWS::Lambda::LayerVersionPermission'];

/**
 * Condition keys that tie a statement to known callers (an account, organization, source resource, network or
 * principal), so `Principal: "*"` no longer means anyone. Compared without case, as IAM does.
 */
const NARROWING_KEYS = new Set([
  'aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:userid',
  'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip', 'aws:principalservicename', 'kms:calleraccount',
]);

/**
 * C06: a resource policy does not grant to everyone. An Allow statement of a bucket, queue, topic, key, secret or
 * repository policy whose principal is `*` (or `{ AWS: "*" }`, or a `NotPrincipal`), or a Lambda permission for `*`, is reported unless a
 * condition ties it to known callers (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...).
 * Service principals and Deny statements are fine. API Gateway resource policies are left out: a public API is
 * public by design and sits behind WAF and throttling.
 */
export class PublicResourcePolicy implements FintechRule {
  /** Metadata of `Fintech-C06-PublicResourcePolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C06-PublicResourcePolicy',
    catalogId: 'C06',
    title: 'Resource policies do not allow every AWS principal',
    description: 'A resource policy that allows Principal "*" (or every principal but a NotPrincipal list) without a condition lets any AWS account, or anyone at all, read the bucket, send to the queue, publish to the topic, use the key or invoke the function: the wildcard with the widest reach, and a classic source of data leaks. ' +
      'Judged on bucket, queue, topic, key, Secrets Manager and ECR repository policies, and Lambda function and layer permissions. ' +
      'Not judged: Deny statements; principals other than "*"; "*" tied to callers by a condition key (aws:SourceArn, aws:SourceAccount, ' +
      'aws:PrincipalOrgID, aws:SourceVpce, ...) with a value other than a bare "*" or by a Lambda permission\'s SourceArn, SourceAccount, PrincipalOrgID or OrganizationId; a ' +
      'permission invoked only through a function URL (the URL\'s own is judged); API Gateway resource policies (a public API is public by design, ' +
      'behind WAF and throttling); documents, statements, principals or conditions given by an intrinsic.',
    fix: 'Grant to the roles or services that need access (bucket.grantRead(role), queue.grantSendMessages(fn)), or add a condition that names the callers (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'PublicResourcePolicy';
  public readonly infos = [PublicResourcePolicy.INFO];
  public readonly resourceTypes = [...Object.keys(POLICY_PROPERTIES), ...PERMISSION_TYPES];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    if (PERMISSION_TYPES.includes(resource.type)) return this.checkPermission(resource, properties);
    const property = POLICY_PROPERTIES[resource.type];
    const open = documentStatements(properties[property], `Properties/${property}`).filter(s => isPublicAllow(s.statement));
    if (open.length === 0) return [];
    const actions = [...new Set(open.flatMap(s => literalStrings(s.statement.Action)))];
    const who = open.every(s => s.statement.NotPrincipal !== undefined) ? 'every principal but those its NotPrincipal names' : 'Principal "*"';
    return [findingOn(resource, PublicResourcePolicy.INFO.id,
      `${resource.type} ${resource.logicalId} allows ${who}${actions.length > 0 ? ` to ${actions.map(a => `"${a}"`).join(', ')}` : ''} ` +
      `with no condition naming the callers (${open.map(s => s.location.replace(/^Properties\//, '')).join('; ')}), so any AWS principal is allowed.`,
      open.map(s => s.location))];
  }

  /** Lambda permissions (function URLs included) and layer permissions name their principal in properties of their own. */
  private checkPermission(resource: TemplateResource, properties: { readonly [key: string]: unknown }): RuleFinding[] {
    if (properties.Principal !== '*') return [];
    if (['SourceArn', 'SourceAccount', 'PrincipalOrgID', 'OrganizationId'].some(key => properties[key] !== undefined)) return [];
    // lambda:InvokeFunction only through the function URL: the URL's own permission is the one reported.
    if (TemplateValue.booleanOf(properties.InvokedViaFunctionUrl) === true) return [];
    const action = typeof properties.Action === 'string' ? ` "${properties.Action}"` : '';
    const url = properties.FunctionUrlAuthType === 'NONE' ? ' (a function URL without authentication: anyone on the internet)' : '';
    return [findingOn(resource, PublicResourcePolicy.INFO.id,
      `${resource.type} ${resource.logicalId} allows${action} to Principal "*" with no SourceArn, SourceAccount or PrincipalOrgID${url}, so any AWS account can use it.`,
      ['Properties/Principal'],
      'Name the caller: fn.grantInvoke(new iam.ServicePrincipal(...)) with a SourceArn, or an account principal instead of "*".')];
  }
}

/**
 * An Allow statement for every AWS principal (`*`, or `NotPrincipal`: everyone but the principals it names), with no
 * condition naming the callers. Unknown (intrinsic) parts are not reported.
 */
function isPublicAllow(statement: PolicyStatement['statement']): boolean {
  if (statement.Effect !== 'Allow' || !(isEveryone(statement.Principal) || statement.NotPrincipal !== undefined)) return false;
  const condition = statement.Condition;
  if (condition === undefined) return true;
  if (!TemplateValue.isObject(condition) || TemplateValue.isIntrinsic(condition)) return false;
  return !Object.values(condition).some(test =>
    !TemplateValue.isObject(test) || TemplateValue.isIntrinsic(test)
    || Object.entries(test).some(([key, value]) => NARROWING_KEYS.has(key.toLowerCase()) && !onlyWildcards(value)));
}

/** Whether a condition's values are all the bare wildcard `*`, which names no caller (`aws:SourceAccount: "*"`). */
function onlyWildcards(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.length > 0 && values.every(v => v === '*');
}
