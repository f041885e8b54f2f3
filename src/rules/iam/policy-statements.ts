import { followedResource, listOf, resolveAcrossStacks } from '../events/deliveries';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** One literal statement of a policy, with where it sits in the template. */
export interface PolicyStatement {
  /** Template location, e.g. `Properties/Policies/0/PolicyDocument/Statement/1`. */
  readonly location: string;
  readonly statement: { readonly [key: string]: unknown };
}

// Where each IAM type keeps its identity policies: one document, or a list of named inline policies.
const DOCUMENT_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);
const INLINE_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/** Every IAM type whose identity policies `policyStatements` reads. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [...DOCUMENT_TYPES, ...INLINE_TYPES];

/** The literal statements of a resource's identity policies; intrinsic documents and statements are left out (unknown). */
export function policyStatements(resource: TemplateResource): PolicyStatement[] {
  const properties = resource.properties;
  if (!properties) return [];
  if (DOCUMENT_TYPES.has(resource.type)) return documentStatements(properties.PolicyDocument, 'Properties/PolicyDocument');
  if (!INLINE_TYPES.has(resource.type) || !Array.isArray(properties.Policies)) return [];
  return properties.Policies.flatMap((policy, i) =>
    TemplateValue.isObject(policy) && !TemplateValue.isIntrinsic(policy) ? documentStatements(policy.PolicyDocument, `Properties/Policies/${i}/PolicyDocument`) : []);
}

/**
 * The roles an identity policy gives its statements to: a role itself, or the roles a policy (`AWS::IAM::Policy`,
 * `ManagedPolicy`) is attached to, each undefined where the templates cannot follow the reference. None for users and groups.
 */
export function rolesOf(resource: TemplateResource): readonly (TemplateResource | undefined)[] {
  if (resource.type === 'AWS::IAM::Role') return [resource];
  if (!DOCUMENT_TYPES.has(resource.type)) return [];
  return listOf(resource.properties?.Roles).map(name => followedResource(resource.stack, name, 'AWS::IAM::Role'));
}

/** The values of a policy element that may be one value or a list (Action, Resource, a principal, a condition value). */
export function elementValues(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The literal strings of a policy element that may be one string or a list; intrinsic entries are left out (unknown). */
export function literalStrings(value: unknown): string[] {
  return elementValues(value).filter((v): v is string => typeof v === 'string');
}

/** Whether a policy principal is every AWS principal: `"*"`, or `{ AWS: "*" }` (alone or in a list). */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return TemplateValue.isObject(principal) && !TemplateValue.isIntrinsic(principal) && literalStrings(principal.AWS).includes('*');
}

/**
 * Whether a role's trust policy lets only services matching `service` assume it: every Allow statement names only
 * `Service` principals, all literal and all matching. A document that cannot be read, or that trusts nothing, does not.
 */
export function trustsOnlyService(document: unknown, service: RegExp): boolean {
  const allows = documentStatements(document, '').filter(({ statement }) => statement.Effect === 'Allow');
  return allows.length > 0 && allows.every(({ statement }) => {
    const principal = statement.Principal;
    if (!TemplateValue.isObject(principal) || TemplateValue.isIntrinsic(principal) || Object.keys(principal).some(key => key !== 'Service')) return false;
    const services = literalStrings(principal.Service);
    const all = Array.isArray(principal.Service) ? principal.Service.length : 1;
    return services.length === all && services.every(name => service.test(name));
  });
}

/**
 * The literal statements of one policy document (identity or resource policy) found at `location`, e.g.
 * `Properties/KeyPolicy`; an intrinsic document or statement is left out (unknown).
 */
export function documentStatements(document: unknown, location: string): PolicyStatement[] {
  if (!TemplateValue.isObject(document) || TemplateValue.isIntrinsic(document)) return [];
  const statements = document.Statement;
  if (TemplateValue.isObject(statements) && !TemplateValue.isIntrinsic(statements)) return [{ location: `${location}/Statement`, statement: statements }];
  if (!Array.isArray(statements)) return [];
  return statements.flatMap((statement, i) =>
    TemplateValue.isObject(statement) && !TemplateValue.isIntrinsic(statement) ? [{ location: `${location}/Statement/${i}`, statement }] : []);
}

// Compiled action patterns: the statements of one policy are read for many resources (every log group of one key).
const ACTION_PATTERNS = new Map<string, RegExp>();
// Enough for the policies of any one app; a long-running process (a test suite) starts over instead of growing.
const ACTION_PATTERN_CACHE_LIMIT = 2000;

/** An IAM action pattern (`kms:Decrypt*`, `sqs:?endMessage`) as a RegExp: case-insensitive, `*` and `?` wildcards. */
export function actionPattern(pattern: string): RegExp {
  let compiled = ACTION_PATTERNS.get(pattern);
  if (!compiled) {
    if (ACTION_PATTERNS.size >= ACTION_PATTERN_CACHE_LIMIT) ACTION_PATTERNS.clear();
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    ACTION_PATTERNS.set(pattern, compiled = new RegExp(`^${regex}$`, 'i'));
  }
  return compiled;
}

/**
 * The one resource an `aws:SourceArn` value names for certain: a `Ref` or `Fn::GetAtt`, followed across stacks, or a
 * literal ARN whose name a resource of the templates declares. A join or sub is left unknown: it may name something
 * else built on a referenced resource (a rule's ARN on a referenced bus's name), and so may a wildcard.
 */
export function sourceArnNamed(stack: StackTemplate, value: unknown): TemplateResource | undefined {
  if (typeof value === 'string' && /[*?]/.test(value)) return undefined;
  if (typeof value !== 'string' && TemplateValue.referencedId(value) === undefined) return undefined;
  const named = resolveAcrossStacks(stack, value).target;
  return named.kind === 'resource' ? named.resource : undefined;
}

/**
 * Whether a statement's `aws:SourceArn` condition (exact or ARN operators), written in `stack`, names only resources of
 * the templates other than `source`: then the statement does not apply to what `source` delivers.
 */
export function pinnedToOtherSources(stack: StackTemplate, condition: unknown, source: TemplateResource): boolean {
  const operators = TemplateValue.literalObject(condition);
  if (!operators) return false;
  return Object.entries(operators).some(([operator, keys]) => {
    if (!/^(arnequals|arnlike|stringequals|stringlike)$/.test(operator.toLowerCase())) return false;
    const names = TemplateValue.literalObject(keys);
    const entry = names && Object.entries(names).find(([name]) => name.toLowerCase() === 'aws:sourcearn');
    if (!entry) return false;
    const values = elementValues(entry[1]);
    return values.length > 0 && values.every(value => {
      const named = sourceArnNamed(stack, value);
      return named !== undefined && named !== source;
    });
  });
}
