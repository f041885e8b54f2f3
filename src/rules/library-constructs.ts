import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CreatedFor } from './rule';
import { LIBRARY_INTERNALS, LibraryHolder, LibraryInternal } from '../facts/library-internals';

// jsii writes each library class's fully qualified name on the class; subclasses (an app's own, or the wrappers
// aws-cdk-lib's decorators add) inherit the name of the nearest library class they extend.
const JSII_RTTI = Symbol.for('jsii.rtti');

/**
 * Library classes an app extends to hold its own code (its constructs, stacks and stages, and its own L2-style
 * resources): what is created in one of these is the app's.
 */
export const APP_CONTAINERS: ReadonlySet<string> = new Set([
  'constructs.Construct', 'aws-cdk-lib.Resource', 'aws-cdk-lib.App', 'aws-cdk-lib.Stage', 'aws-cdk-lib.Stack', 'aws-cdk-lib.NestedStack',
]);

// Classes of constructs rebuilt from a cloud assembly (`assemblyTemplates`), as its construct tree file (tree.json) names them.
const RECORDED_CLASSES = new WeakMap<IConstruct, string>();

/**
 * Records the jsii name of the class a construct rebuilt from a cloud assembly had when the app ran (the `fqn` of its
 * node in tree.json), so the construct passes for an instance of that class.
 */
export function recordLibraryClass(construct: IConstruct, fqn: string): void {
  RECORDED_CLASSES.set(construct, fqn);
}

/** What an app rebuilt from a cloud assembly (`assemblyTemplates`) records beyond its constructs, by its root. */
export interface RecordedAssembly {
  /** The library classes tree.json names, including those of constructs that synthesize nothing and so are not rebuilt. */
  readonly classes: ReadonlySet<string>;
  /**
   * Reads which constructs' template resources name each construct's resource (`Ref`, `Fn::GetAtt`), by the construct
   * named: asked only when a library construct's properties would be (`LibraryHolder.property`), which a rebuilt one lacks.
   */
  readonly references: () => ReadonlyMap<IConstruct, readonly IConstruct[]>;
}

const RECORDED_ASSEMBLIES = new WeakMap<IConstruct, RecordedAssembly>();

/** Records, for an app rebuilt from a cloud assembly, what its constructs alone do not show. */
export function recordAssembly(root: IConstruct, assembly: RecordedAssembly): void {
  RECORDED_ASSEMBLIES.set(root, assembly);
}

/** The jsii name of the nearest construct-library class the construct is an instance of (or was, when rebuilt from an assembly). */
export function libraryClassOf(construct: IConstruct): string | undefined {
  const recorded = RECORDED_CLASSES.get(construct);
  if (recorded !== undefined) return recorded;
  const type = Object.getPrototypeOf(construct)?.constructor;
  return (type?.[JSII_RTTI] as { fqn?: string } | undefined)?.fqn;
}

/** A library construct and one of its internals (`LIBRARY_INTERNALS`) that a template element belongs to. */
export interface LibraryInternalOwner {
  /** The library construct (a `pipelines.CodePipeline`, ...). */
  readonly construct: IConstruct;
  /** Which of its internals the element is in. */
  readonly internal: LibraryInternal;
}

const LIBRARY_CLASSES = new Set(LIBRARY_INTERNALS.map(internal => internal.library));

/**
 * The library internal a template element (`CfnElement`) is created in, and the library construct that created it:
 * for `roleStatements` the roles whose wildcard statements the library writes, otherwise the resources it creates
 * whole, below itself or in a support construct elsewhere, for a finding of rule `ruleId` (internals limited to some
 * rules match only those). Undefined for anything else, and for an element without a construct tree (a template read on
 * its own).
 */
export function libraryInternalOf(element: IConstruct | undefined, roleStatements: boolean, ruleId?: string): LibraryInternalOwner | undefined {
  const judged = (i: LibraryInternal) => !i.rules || (ruleId !== undefined && i.rules.some(prefix => ruleId.startsWith(prefix)));
  const ids: string[] = [];
  for (let child = element; child?.node.scope; child = child.node.scope) {
    ids.unshift(child.node.id);
    const scope = child.node.scope;
    const support = roleStatements ? undefined : supportInternalOf(scope);
    if (support && judged(support)) return supportOwnersOf(scope.node.root).get(scope) ?? { construct: scope, internal: support };
    const type = libraryClassOf(scope);
    if (!type || !LIBRARY_CLASSES.has(type)) continue;
    const below = `${ids.join('/')}/`;
    const internal = LIBRARY_INTERNALS.find(i =>
      i.library === type && i.path !== undefined && isRoleInternal(i) === roleStatements && isBelowPath(below, i.path) && judged(i));
    const holder = internal?.heldBy ? holderOf(scope, internal.heldBy) : scope;
    if (internal && holder) return { construct: holder, internal };
  }
  if (!element || roleStatements) return undefined;
  // Only an id of the shape some internal is named in, inside a construct that records no library class, asks for the
  // app's library constructs (a walk of its whole tree, once per app).
  for (let child: IConstruct | undefined = element; child?.node.scope; child = child.node.scope) {
    const id = child.node.id;
    if (!NAMED_AFTER_SHAPES.some(shape => shape.test(id)) || !UNRECORDED_CLASSES.has(libraryClassOf(child.node.scope))) continue;
    const owner = namedAfterOwnersOf(element.node.root).find(o => judged(o.internal) && o.id.test(id));
    if (owner) return owner;
  }
  return undefined;
}

// What an anonymous class (an imported resource's) passes for: the nearest library class it extends that jsii names.
const UNRECORDED_CLASSES = new Set([undefined, 'constructs.Construct', 'aws-cdk-lib.Resource']);

const NAMED_AFTER = LIBRARY_INTERNALS.filter(i => i.namedAfter !== undefined);
// The ids they are named in, whatever the library construct's unique id.
const NAMED_AFTER_SHAPES = NAMED_AFTER.map(i => new RegExp(`^${i.namedAfter!.split('{uniqueId}').map(idPattern).join('[^/]*')}$`));

/** A pattern with `*` for any characters within one id, as a regular expression's source. */
function idPattern(pattern: string): string {
  return pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
}

/** The library constructs of the app whose internals are named after them (`namedAfter`), each with the ids those have. */
const namedAfterOwnersOf = perApp(root => NAMED_AFTER.length === 0 ? [] : root.node.findAll().flatMap(construct => {
  const type = libraryClassOf(construct);
  return NAMED_AFTER.filter(internal => internal.library === type).map(internal => {
    const [before, after] = internal.namedAfter!.split('{uniqueId}').map(idPattern);
    return { construct, internal, id: new RegExp(`^${before}${idPattern(Names.nodeUniqueId(construct.node))}${after}$`) };
  });
}));

const PATH_PATTERNS = new Map(LIBRARY_INTERNALS.flatMap(i => i.path?.includes('*') ? [[i.path, new RegExp(`^${idPattern(i.path)}/`)] as const] : []));

/** Whether a construct path below a library construct (ids joined by `/`, ending in `/`) is at or below an internal's path. */
export function isBelowPath(below: string, path: string): boolean {
  return PATH_PATTERNS.get(path)?.test(below) ?? below.startsWith(`${path}/`);
}

/** Whether an internal is a role the library writes statements into (rather than a resource it creates whole). */
function isRoleInternal(internal: LibraryInternal): boolean {
  return internal.wildcardActions !== undefined || internal.wildcardStatements !== undefined;
}

/**
 * The actions, lower case, that the library allows on `Resource: "*"` in a role of `internal` (`owner` is the library
 * construct): its `wildcardActions`, and the actions of those `wildcardStatements` whose writing class the app has
 * constructs of. Read action by action, so statements CDK merges (`@aws-cdk/aws-iam:minimizePolicies`) still split
 * between library and app.
 */
export function libraryWildcardActions(internal: LibraryInternal, owner: IConstruct): ReadonlySet<string> {
  const classes = libraryClassesOf(owner.node.root);
  const written = (internal.wildcardStatements ?? []).filter(s => classes.has(s.writtenBy)).flatMap(s => s.actions);
  return new Set([...internal.wildcardActions ?? [], ...written].map(action => action.toLowerCase()));
}

const SUPPORT_INTERNALS = new Map(LIBRARY_INTERNALS.flatMap(i => i.support ? [[i.support.className, i] as const] : []));

/**
 * The support internal a construct is, by its class name; for one rebuilt from a cloud assembly (which records no name
 * of a private class), by its id in a stack.
 */
function supportInternalOf(scope: IConstruct): LibraryInternal | undefined {
  const byName = SUPPORT_INTERNALS.get(Object.getPrototypeOf(scope)?.constructor?.name);
  const stack = scope.node.scope;
  if (byName || !RECORDED_CLASSES.has(scope) || !stack || libraryClassOf(stack) !== 'aws-cdk-lib.Stack') return byName;
  return [...SUPPORT_INTERNALS.values()].find(internal => internal.support!.stackAndId.test(`${stack.node.id}/${scope.node.id}`));
}

/** `read` memoized per construct tree: computed once per app, from its root. */
function perApp<T>(read: (root: IConstruct) => T): (root: IConstruct) => T {
  const cache = new WeakMap<IConstruct, T>();
  return root => {
    if (!cache.has(root)) cache.set(root, read(root));
    return cache.get(root)!;
  };
}

/** The library classes the app has constructs of. */
const libraryClassesOf = perApp(root => new Set([...root.node.findAll().map(libraryClassOf), ...RECORDED_ASSEMBLIES.get(root)?.classes ?? []]));

/** A public property of a library construct, read by name. */
function propertyOf(construct: IConstruct, property: string): unknown {
  return (construct as unknown as Record<string, unknown>)[property];
}

/** The support constructs library constructs of the app created outside themselves, each with its library construct. */
const supportOwnersOf = perApp(root => {
  const found = new Map<IConstruct, LibraryInternalOwner>();
  for (const construct of root.node.findAll()) {
    const type = libraryClassOf(construct);
    for (const internal of SUPPORT_INTERNALS.values()) {
      if (internal.library !== type) continue;
      const reached = propertyOf(construct, internal.support!.property);
      for (const value of Object.values(reached && typeof reached === 'object' ? reached : {})) {
        const resource = (value as Record<string, IConstruct | undefined> | undefined)?.[internal.support!.resource];
        if (resource?.node.scope) found.set(resource.node.scope, { construct, internal });
      }
    }
  }
  return found as ReadonlyMap<IConstruct, LibraryInternalOwner>;
});

/** The library construct that holds `construct` in one of the ways `holders` name, if any. */
function holderOf(construct: IConstruct, holders: readonly LibraryHolder[]): IConstruct | undefined {
  const scope = construct.node.scope;
  if (scope && holders.some(h => h.property === undefined && h.library === libraryClassOf(scope))) return scope;
  return holdersByProperty(construct.node.root).get(construct) ?? referencingHolderOf(construct, holders);
}

// How many references apart a holder's resource and the held construct's may be: a `BucketDeployment`'s custom resource
// names its handler function, which names the role it was given.
const HOLDER_REFERENCE_HOPS = 2;

/**
 * For a construct rebuilt from a cloud assembly, whose holders' properties cannot be read: the construct of a holding
 * class one of whose resources references a resource of `construct`, directly (an `AsgCapacityProvider`'s capacity
 * provider names the Auto Scaling group it takes) or through one resource between (a `BucketDeployment`'s custom resource
 * names the handler function that runs with the role it was given).
 */
function referencingHolderOf(construct: IConstruct, holders: readonly LibraryHolder[]): IConstruct | undefined {
  if (!RECORDED_ASSEMBLIES.has(construct.node.root)) return undefined;
  const classes = new Set(holders.filter(h => h.property !== undefined).map(h => h.library));
  const referencing = recordedReferencesOf(construct.node.root);
  let reached: IConstruct[] = construct.node.findAll();
  for (let hop = 0; hop < HOLDER_REFERENCE_HOPS; hop++) {
    reached = reached.flatMap(element => referencing.get(element) ?? []);
    for (const by of reached) {
      for (let holder: IConstruct | undefined = by; holder; holder = holder.node.scope) {
        if (classes.has(libraryClassOf(holder) ?? '')) return holder;
      }
    }
  }
  return undefined;
}

/** The references recorded for an app rebuilt from an assembly, read once. */
const recordedReferencesOf = perApp(root => RECORDED_ASSEMBLIES.get(root)?.references() ?? new Map<IConstruct, readonly IConstruct[]>());

const PROPERTY_HOLDERS = LIBRARY_INTERNALS.flatMap(i => i.heldBy ?? []).filter(h => h.property !== undefined);

/** The constructs of the app that a library construct holds in a property (`LibraryHolder.property`), each with its holder. */
const holdersByProperty = perApp(root => {
  const found = new Map<IConstruct, IConstruct>();
  for (const construct of root.node.findAll()) {
    const type = libraryClassOf(construct);
    for (const { library, property } of PROPERTY_HOLDERS) {
      const value = type === library ? propertyOf(construct, property!) : undefined;
      if (value && typeof value === 'object' && !found.has(value as IConstruct)) found.set(value as IConstruct, construct);
    }
  }
  return found as ReadonlyMap<IConstruct, IConstruct>;
});

/** Whom a library internal was created for, as a finding names it: the library construct, and `pipelines.CodePipeline: <how>`. */
export function createdForLibrary(owner: LibraryInternalOwner): CreatedFor {
  // aws-cdk-lib.aws_ecs_patterns.ScheduledFargateTask reads as its module is imported: ecs-patterns.ScheduledFargateTask.
  // An internal several library classes write into lists them, joined by ", ".
  const library = owner.internal.library.split(', ')
    .map(name => name.replace(/^aws-cdk-lib\./, '').replace(/^aws_/, '').replace(/_(?=[^.]*\.)/g, '-')).join(', ');
  return { constructs: [owner.construct.node.path], how: `${library}: ${owner.internal.how}` };
}
