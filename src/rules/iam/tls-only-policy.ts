import { resolveAcrossStacks } from '../events/deliveries';
import { RuleFinding, findingOn } from '../rule';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { isEveryone, literalStrings } from './policy-statements';

/** The resource a Deny must cover: the resource, its literal name if any, and the ARN suffixes it must reach. */
interface CoverageTarget {
  readonly resource: TemplateResource;
  readonly literalName?: string;
  /** The service in the resource's ARN, e.g. `s3`. */
  readonly service: string;
  /** Sample paths below the resource ARN the Deny must reach: `''` for the resource itself, `/<key>` for a bucket's objects. */
  readonly samples: readonly string[];
}

/** The stand-in text of a resource in the patterns of one index: `\u0001<n>\u0001`. */
type TokenOf = (resource: TemplateResource) => string;

// Delimits the stand-in for a resource's ARN while a Resource element is rendered to a pattern.
const TOKEN = '\u0001';

/**
 * Whether a resource policy (its `PolicyDocument`) denies requests made without TLS to the whole of `target`: a `Deny` to everyone, of
 * actions `coversActions` accepts, when `aws:SecureTransport` is false, whose `Resource` reaches the resource and
 * everything below it that `target.samples` names (a bucket and its objects, not a prefix). Undefined when the
 * document, or a statement that could be such a Deny, cannot be read.
 */
function deniesInsecureTransport(policy: TemplateResource, coversActions: (actions: string[]) => boolean, target: CoverageTarget,
  tokenOf: TokenOf): boolean | undefined {
  const document = policy.properties?.PolicyDocument;
  if (!TemplateValue.isObject(document) || TemplateValue.isIntrinsic(document)) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let unknown = false;
  for (const statement of statements) {
    if (!TemplateValue.isObject(statement) || TemplateValue.isIntrinsic(statement)) {
      unknown = true;
      continue;
    }
    if (statement.Effect !== 'Deny' || !isEveryone(statement.Principal) || !coversActions(literalStrings(statement.Action).map(a => a.toLowerCase()))
      || !requiresTls(statement.Condition)) continue;
    const covered = coversResource(statement.Resource, policy.stack, target, tokenOf);
    if (covered === true) return true;
    if (covered === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/** Whether a statement's Resource element reaches every sample path of the target; undefined when it cannot be read. */
function coversResource(element: unknown, stack: StackTemplate, target: CoverageTarget, tokenOf: TokenOf): boolean | undefined {
  const entries = Array.isArray(element) ? element : [element];
  const patterns: string[] = [];
  for (const entry of entries) {
    const pattern = patternOf(entry, stack, tokenOf);
    if (pattern === undefined) return undefined;
    patterns.push(pattern);
  }
  return target.samples.every(sample => patterns.some(pattern => matches(pattern, target, sample, tokenOf)));
}

/**
 * A Resource entry as a glob pattern: resources of the validated templates as tokens (followed through nested-stack
 * parameters and outputs and imports), pseudo parameters as `*`; undefined when unknown (a top-level parameter, an
 * import no template exports, a condition).
 */
function patternOf(value: unknown, stack: StackTemplate, tokenOf: TokenOf): string | undefined {
  if (typeof value === 'string') return value;
  const ref = TemplateValue.refTarget(value);
  if (ref?.startsWith('AWS::')) return '*';
  const getAtt = TemplateValue.getAtt(value);
  const imported = TemplateValue.isObject(value) && Object.keys(value).length === 1 && value['Fn::ImportValue'] !== undefined;
  if (ref !== undefined || getAtt !== undefined || imported) {
    // A nested stack's output, a parameter a parent passes, an export: what it is where it is written.
    const followed = resolveAcrossStacks(stack, value);
    if (followed.value !== value) return patternOf(followed.value, followed.stack, tokenOf);
    const resource = stack.resource(ref ?? getAtt?.logicalId ?? '');
    return resource ? tokenOf(resource) : undefined;
  }
  if (!TemplateValue.isObject(value)) return undefined;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const pieces = join[1].map(piece => patternOf(piece, stack, tokenOf));
    return pieces.every((p): p is string => p !== undefined) ? pieces.join(join[0]) : undefined;
  }
  const sub = value['Fn::Sub'];
  if (typeof sub !== 'string') return undefined;
  const variables = [...sub.matchAll(/\$\{([^!}][^}]*)\}/g)].map(match => {
    const [name, ...attribute] = match[1].split('.');
    return patternOf(attribute.length > 0 ? { 'Fn::GetAtt': [name, attribute.join('.')] } : { Ref: name }, stack, tokenOf);
  });
  if (variables.some(variable => variable === undefined)) return undefined;
  let i = 0;
  return sub.replace(/\$\{([^!}][^}]*)\}/g, () => variables[i++]!);
}

/**
 * Whether a glob pattern reaches `sample` below the target: by its ARN (`Fn::GetAtt`, or `Ref` where that is the ARN), or
 * as a literal ARN ending with its name, the literal one or the `Ref` that returns it (`arn:aws:s3:::${Bucket}/*`).
 */
function matches(pattern: string, target: CoverageTarget, sample: string, tokenOf: TokenOf): boolean {
  const token = tokenOf(target.resource);
  if (glob(pattern).test(`${token}${sample}`)) return true;
  // A literal ARN: arn:<partition>:<service>:<region>:<account>:<resource>.
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !glob(parts[2]).test(target.service)) return false;
  const resource = glob(parts.slice(5).join(':'));
  return [token, ...target.literalName === undefined ? [] : [target.literalName]].some(name => resource.test(`${name}${sample}`));
}

// Compiled patterns by glob: the same few Resource patterns are tried against every sample and name of every resource.
const GLOBS = new Map<string, RegExp>();
// Enough for the patterns of any one app; a long-running process (a test suite) starts over instead of growing.
const GLOB_CACHE_LIMIT = 2000;

function glob(pattern: string): RegExp {
  let compiled = GLOBS.get(pattern);
  if (!compiled) {
    if (GLOBS.size >= GLOB_CACHE_LIMIT) GLOBS.clear();
    compiled = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
    GLOBS.set(pattern, compiled);
  }
  return compiled;
}

function requiresTls(condition: unknown): boolean {
  if (!TemplateValue.isObject(condition)) return false;
  return ['Bool', 'BoolIfExists'].some(operator => {
    const test = condition[operator];
    if (!TemplateValue.isObject(test)) return false;
    const key = Object.keys(test).find(k => k.toLowerCase() === 'aws:securetransport');
    const value = key ? test[key] : undefined;
    const values = Array.isArray(value) ? value : [value];
    return values.some(v => TemplateValue.booleanOf(v) === false);
  });
}

/** What the resource policies of the templates validated together say about TLS for the resources they name. */
interface TlsOnlyIndex {
  /** Resources a policy denies requests without TLS to, or whose policy cannot be read (unknown, not reported). */
  readonly settled: ReadonlySet<TemplateResource>;
  /** A policy names its resources by something that may be one of these resources: every one of them is unknown. */
  readonly unknownTargets: boolean;
}

/**
 * Indexes the policies of one kind, in every template validated with `stack`, by the resources they name in
 * `targetsProperty` (one value or a list): `Bucket` of `AWS::S3::BucketPolicy`, `Queues` of `AWS::SQS::QueuePolicy`,
 * `Topics` of `AWS::SNS::TopicPolicy`. A `Ref` names a resource, followed through nested-stack parameters and outputs
 * and imports (a policy of one stack for another stack's queue); a literal string names the one `literalTargets` finds
 * (e.g. a bucket by its name), or a resource outside the templates, as do a top-level parameter and an import no
 * template exports; anything else makes every resource of the type unknown. Each named resource is judged on its own: a
 * policy for two queues whose Deny names one ARN covers only that one.
 */
function indexTlsOnlyPolicies(stack: StackTemplate, kind: TlsOnlyPolicyKind): TlsOnlyIndex {
  const settled = new Set<TemplateResource>();
  let unknownTargets = false;
  const tokens = new Map<TemplateResource, string>();
  const tokenOf: TokenOf = resource => {
    let token = tokens.get(resource);
    if (token === undefined) tokens.set(resource, token = `${TOKEN}${tokens.size}${TOKEN}`);
    return token;
  };
  for (const template of stack.peers.templates) {
    const literalTarget = kind.literalTargets?.(template) ?? (() => undefined);
    for (const policy of template.resourcesOfType(kind.policyType)) {
      const value = policy.properties?.[kind.targetsProperty];
      for (const target of Array.isArray(value) ? value : [value]) {
        const followed = resolveAcrossStacks(template, target);
        const ref = TemplateValue.refTarget(followed.value);
        const literal = typeof followed.value === 'string' ? literalTarget(followed.value) : undefined;
        const resource = ref !== undefined ? followed.stack.resource(ref) : literal !== undefined ? template.resource(literal) : undefined;
        if (!resource) {
          const outside = typeof followed.value === 'string' || ref !== undefined || (TemplateValue.isObject(followed.value) && followed.value['Fn::ImportValue'] !== undefined);
          if (!outside) unknownTargets = true;
          continue;
        }
        const name = kind.nameProperty ? resource.properties?.[kind.nameProperty] : undefined;
        const coverage: CoverageTarget = {
          resource,
          literalName: typeof name === 'string' ? name : undefined,
          service: kind.service,
          samples: kind.objectsBelow ? ['', '/any/object/key'] : [''],
        };
        if (deniesInsecureTransport(policy, kind.coversActions, coverage, tokenOf) !== false) settled.add(resource);
      }
    }
  }
  return { settled, unknownTargets };
}

/** A kind of resource policy that can deny requests without TLS, and how it names the resources it covers. */
export interface TlsOnlyPolicyKind {
  /** The policy resource type, e.g. `AWS::SQS::QueuePolicy`. */
  readonly policyType: string;
  /** Its property naming the covered resources: `Bucket`, `Queues`, `Topics`. */
  readonly targetsProperty: string;
  /** Whether a Deny of these actions (lower case) covers what must not go over plain HTTP. */
  readonly coversActions: (actions: string[]) => boolean;
  /** What the Deny must deny, as findings say it: "requests", "Publish". */
  readonly denied: string;
  /** The service in the covered resources' ARNs: `s3`, `sqs`, `sns`. */
  readonly service: string;
  /** Property holding the resource's literal name, which literal ARNs in a Deny's Resource end with. */
  readonly nameProperty?: string;
  /** Whether the Deny must also reach what lies below the resource ARN (a bucket's objects, `<bucket ARN>/*`). */
  readonly objectsBelow?: boolean;
  /** For one template, the resource a literal target names (e.g. a bucket by its name). */
  readonly literalTargets?: (stack: StackTemplate) => (literal: string) => string | undefined;
}

/**
 * The finding of rule `ruleId` on `resource` when no policy of `kind` denies it, as a whole, requests without TLS.
 * The policies of every template of the stage are indexed once; a policy whose targets cannot be read leaves every resource unreported.
 */
export function tlsOnlyFindings(resource: TemplateResource, ruleId: string, kind: TlsOnlyPolicyKind): RuleFinding[] {
  const index = resource.stack.peers.memo(`${ruleId}.tlsOnlyIndex`, () => indexTlsOnlyPolicies(resource.stack, kind));
  if (index.unknownTargets || index.settled.has(resource)) return [];
  const whole = kind.objectsBelow ? 'the resource ARN and every object below it (<ARN>/*)' : 'its ARN';
  return [findingOn(resource, ruleId,
    `${resource.type} ${resource.logicalId} has no ${kind.policyType} denying ${kind.denied} where aws:SecureTransport is false with a Resource that covers ${whole}, so it accepts plain HTTP.`,
    [])];
}
