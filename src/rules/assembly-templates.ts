import * as fs from 'fs';
import * as path from 'path';
import { Names } from 'aws-cdk-lib';
import { Construct, IConstruct, RootConstruct } from 'constructs';
import { recordAssembly, recordLibraryClass } from './library-constructs';
import { NestedStackParent, StackDeployment, StackTemplate, TemplatePeers, takesLogicalId } from './stack-template';
import { TemplateValue } from './template-value';
import { recordedStageSettings } from '../config/stage-context';

/** How `assemblyTemplates` decides the stage of each template. */
export interface AssemblyTemplatesOptions {
  /** Judge every template as this stage instead of the one its assembly belongs to. */
  readonly stage?: string;
  /** Stage names that are durable. */
  readonly durableStages: readonly string[];
}

const LOGICAL_ID = 'aws:cdk:logicalId';
// NestedStack puts its CloudFormation resource at `<parent>/<id>.NestedStack/<id>.NestedStackResource`.
const NESTED_STACK_RESOURCE = /^(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/;

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly environment?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly directoryName?: string;
    readonly displayName?: string;
    readonly file?: string;
    readonly tags?: Record<string, string>;
    readonly stackName?: string;
  };
  readonly metadata?: Record<string, MetadataEntry[]>;
  readonly additionalMetadataFile?: string;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** One stack of the cloud assembly: its path, template file, environment and tags, and the metadata of its constructs by path. */
interface AssemblyStack {
  readonly path: string;
  readonly templateFile: string;
  readonly deployment: StackDeployment;
  readonly metadata: Map<string, MetadataEntry[]>;
}

/** A node of the construct tree file CDK writes into the assembly (tree.json), or a reference to a subtree in another file. */
interface TreeNode {
  readonly path?: string;
  readonly constructInfo?: { readonly fqn?: string };
  readonly children?: Record<string, TreeNode>;
  /** For a reference: the file holding the subtree (`trees-<n>.json`, a forest) and its id there. */
  readonly fileName?: string;
  readonly treeId?: string;
}

/**
 * The templates a validation plugin receives, indexed without the construct tree: for a `FintechChecks` constructed
 * without a scope, the way cdk-nag 3 packs are. The cloud assembly stands in for the tree: each stack artifact's
 * metadata (`manifest.json` and `<stack>.metadata.json`) maps logical ids to construct paths and carries the
 * acknowledgements (`Validations.of(construct).acknowledge`) made on constructs inside stacks, which are rebuilt as a
 * tree of plain constructs with that metadata. The construct tree file (tree.json) gives each of them the library class
 * it had, and the app the classes of all its constructs (those without resources too), so what a library creates is told
 * from the app's own code as with the tree.
 * Each stack's account, region and stack tags come from its artifact. Nested stacks' templates are added after their
 * parents, linked to them; a template of a nested assembly is judged as the stage that wrote it (the stage path, `/`
 * turned into `-`, as CDK names nested stages). What a library construct holds in a property (the Auto Scaling group an
 * `AsgCapacityProvider` takes, the role a `BucketDeployment` is given) is told by the references between their resources,
 * and a pipeline's cross-region support constructs by the ids CDK gives them. Not visible this way: acknowledgements on
 * the app or a stage outside every stack, and the stacks' own classes.
 */
export function assemblyTemplates(templatePaths: readonly string[], options: AssemblyTemplatesOptions): StackTemplate[] {
  const root = new RootConstruct();
  const manifests = new Map<string, AssemblyStack[]>();
  const templates: StackTemplate[] = [];
  const peers = new TemplatePeers();
  const trees = new Set<string>();
  // The library class of each construct path, from the construct tree file: recorded on the constructs rebuilt below.
  const classes = new Map<string, string>();
  for (const templatePath of templatePaths.map(p => path.resolve(p))) {
    const dir = path.dirname(templatePath);
    if (!manifests.has(dir)) {
      manifests.set(dir, readStacks(dir));
      const tree = treeFileOf(dir);
      if (tree && !trees.has(tree)) {
        trees.add(tree);
        readTreeClasses(tree, classes);
      }
    }
    const stack = manifests.get(dir)!.find(s => s.templateFile === path.basename(templatePath));
    const stageOfDir = stageNameOf(dir);
    if (!stack) {
      templates.push(stackTemplate(templatePath, new Map(), stageOfDir, undefined, options, undefined, peers, undefined));
      continue;
    }
    const constructs = rebuild(root, stack.metadata, classes);
    const nested = nestedStackPaths(stack.metadata);
    const owners = [stack.path, ...nested].sort((a, b) => b.length - a.length);
    const ownerOf = (p: string) => owners.find(owner => p === owner || p.startsWith(`${owner}/`)) ?? stack.path;
    const recorded = recordedStageSettings(stack.metadata.get(stack.path) ?? []);
    const logicalIdAt = (constructPath: string) => {
      const logicalId = stack.metadata.get(constructPath)?.find(e => e.type === LOGICAL_ID)?.data;
      return typeof logicalId === 'string' ? logicalId : undefined;
    };
    const byOwner = new Map<string, StackTemplate>();
    // Parents before the stacks nested in them: a path sorts before the paths it prefixes.
    for (const owner of [stack.path, ...nested.sort()]) {
      const file = owner === stack.path ? templatePath : path.join(dir, `${Names.uniqueId(constructs.get(owner)!)}.nested.template.json`);
      if (owner !== stack.path && !fs.existsSync(file)) continue;
      const elements = new Map<string, IConstruct>();
      for (const constructPath of stack.metadata.keys()) {
        const logicalId = logicalIdAt(constructPath);
        if (logicalId === undefined || ownerOf(constructPath) !== owner) continue;
        const element = constructs.get(constructPath)!;
        if (takesLogicalId(elements.get(logicalId), element)) elements.set(logicalId, element);
      }
      // A nested stack's resource sits in its parent's template, at `<parent>/<id>.NestedStack/<id>.NestedStackResource`.
      const resourcePath = `${owner}.NestedStack/${owner.split('/').pop()}.NestedStackResource`;
      const parentTemplate = owner === stack.path ? undefined : byOwner.get(ownerOf(resourcePath));
      const logicalId = logicalIdAt(resourcePath);
      const parent = parentTemplate && logicalId ? { template: parentTemplate, logicalId } : undefined;
      const template = stackTemplate(file, elements, stageOfDir, recorded, options, parent, peers, stack.deployment);
      byOwner.set(owner, template);
      templates.push(template);
    }
  }
  // Classes of constructs that synthesize no resource (a Step Functions task) still write statements into roles.
  recordAssembly(root, { classes: new Set(classes.values()), references: () => referencesBetween(templates) });
  return templates;
}

// For each construct whose resource a `Ref` or `Fn::GetAtt` of its template names, the constructs of the resources naming it.
function referencesBetween(templates: readonly StackTemplate[]): Map<IConstruct, IConstruct[]> {
  const referencing = new Map<IConstruct, IConstruct[]>();
  for (const template of templates) {
    for (const resource of template.resources) {
      if (!resource.construct) continue;
      const pending: unknown[] = [resource.definition.Properties];
      while (pending.length > 0) {
        const value = pending.pop();
        const id = TemplateValue.referencedId(value);
        const target = id !== undefined ? template.constructOf(id) : undefined;
        if (target) referencing.set(target, [...referencing.get(target) ?? [], resource.construct]);
        if (value && typeof value === 'object') pending.push(...Object.values(value));
      }
    }
  }
  return referencing;
}

function stackTemplate(templatePath: string, elements: Map<string, IConstruct>, stageOfDir: string,
  recorded: { stageName: string; durable: boolean } | undefined, options: AssemblyTemplatesOptions, parent: NestedStackParent | undefined,
  peers: TemplatePeers, deployment: StackDeployment | undefined): StackTemplate {
  let template: unknown;
  try {
    template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  } catch (error) {
    throw new Error(`FintechChecks cannot read the template ${templatePath}: ${(error as Error).message}`);
  }
  const stageName = options.stage ?? (recorded?.stageName || stageOfDir);
  const durable = (options.stage === undefined ? recorded?.durable : undefined) ?? options.durableStages.includes(stageName);
  return new StackTemplate({ templatePath, template, stageName, durable, elements, parent, peers, deployment });
}

// The stack artifacts of one assembly directory, with their metadata by construct path (leading '/' dropped).
function readStacks(dir: string): AssemblyStack[] {
  const manifest = readJson(path.join(dir, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> } | undefined;
  return Object.entries(manifest?.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string')
    .map(([artifactId, artifact]) => {
      const extra = artifact.additionalMetadataFile
        ? readJson(path.join(dir, artifact.additionalMetadataFile)) as Record<string, MetadataEntry[]> | undefined
        : undefined;
      const metadata = new Map<string, MetadataEntry[]>();
      for (const [constructPath, entries] of [...Object.entries(artifact.metadata ?? {}), ...Object.entries(extra ?? {})]) {
        const key = constructPath.replace(/^\//, '');
        metadata.set(key, [...(metadata.get(key) ?? []), ...(Array.isArray(entries) ? entries : [])]);
      }
      // CDK writes the stack's name only where it differs from the artifact's id.
      const stackName = artifact.properties?.stackName ?? artifactId;
      const deployment = { ...environmentOf(artifact.environment), stackName, tags: { ...artifact.properties?.tags } };
      return { path: (artifact.displayName ?? '').replace(/^\//, ''), templateFile: artifact.properties!.templateFile!, deployment, metadata };
    });
}

// `aws://<account>/<region>`, where CDK writes unknown-account and unknown-region for an environment-agnostic stack.
function environmentOf(environment: string | undefined): { account?: string; region?: string } {
  const [, account, region] = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '') ?? [];
  return {
    ...account && account !== 'unknown-account' ? { account } : {},
    ...region && region !== 'unknown-region' ? { region } : {},
  };
}

// The construct tree file of the assembly holding `dir`: CDK writes one, for the whole app, into the top assembly.
function treeFileOf(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = readJson(path.join(current, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> } | undefined;
    if (!manifest) return undefined;
    const file = Object.values(manifest.artifacts ?? {}).find(a => a.type === 'cdk:tree')?.properties?.file;
    if (typeof file === 'string') return path.join(current, file);
    if (path.dirname(current) === current) return undefined;
  }
}

// A node's path and class as aws-cdk-lib writes them (compact JSON, `constructInfo` right after `path`), read without parsing
// the whole file: the L1 properties in each node's attributes make most of its size.
const NODE_CLASS = /"path":"((?:[^"\\]|\\.)*)","constructInfo":\{"fqn":"((?:[^"\\]|\\.)*)"/g;

// The library class of every construct path the construct tree file names (split into forest files or not), into `classes`.
function readTreeClasses(treeFile: string, classes: Map<string, string>): void {
  const dir = path.dirname(treeFile);
  const forestFiles = fs.readdirSync(dir).filter(file => /^trees-\d+\.json$/.test(file)).sort().map(file => path.join(dir, file));
  let found = false;
  for (const file of [treeFile, ...forestFiles]) {
    for (const [, nodePath, fqn] of readText(file).matchAll(NODE_CLASS)) {
      classes.set(unescapeJson(nodePath).replace(/^\//, ''), unescapeJson(fqn));
      found = true;
    }
  }
  // Written otherwise (another aws-cdk-lib, or formatted): walk the parsed tree and the subtrees it references.
  if (!found) walkTreeClasses(treeFile, classes);
}

function unescapeJson(text: string): string {
  return text.includes('\\') ? JSON.parse(`"${text}"`) as string : text;
}

function walkTreeClasses(treeFile: string, classes: Map<string, string>): void {
  const dir = path.dirname(treeFile);
  const forests = new Map<string, Record<string, TreeNode> | undefined>();
  const subtree = (ref: TreeNode): TreeNode | undefined => {
    if (!forests.has(ref.fileName!)) {
      forests.set(ref.fileName!, (readJson(path.join(dir, ref.fileName!)) as { forest?: Record<string, TreeNode> } | undefined)?.forest);
    }
    return forests.get(ref.fileName!)?.[ref.treeId ?? ''];
  };
  const top = (readJson(treeFile) as { tree?: TreeNode } | undefined)?.tree;
  const pending = top ? [top] : [];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const resolved = node.fileName !== undefined ? subtree(node) : node;
    if (!resolved) continue;
    if (typeof resolved.constructInfo?.fqn === 'string') classes.set((resolved.path ?? '').replace(/^\//, ''), resolved.constructInfo.fqn);
    pending.push(...Object.values(resolved.children ?? {}));
  }
}

// The construct at a path below the root, created with its missing scopes as plain constructs of the classes `classes` names.
function constructAt(root: RootConstruct, constructPath: string, classes: ReadonlyMap<string, string>): IConstruct {
  let current: IConstruct = root;
  let at = '';
  for (const id of constructPath.split('/').filter(Boolean)) {
    at = at ? `${at}/${id}` : id;
    let child = current.node.tryFindChild(id);
    if (!child) {
      child = new Construct(current as Construct, id);
      const fqn = classes.get(at);
      if (fqn !== undefined) recordLibraryClass(child, fqn);
    }
    current = child;
  }
  return current;
}

// The stage a nested assembly belongs to: its path in the parent's manifest, e.g. `prod` or `outer-inner`; '' at the root.
function stageNameOf(dir: string): string {
  const parent = path.dirname(dir);
  const manifest = readJson(path.join(parent, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> } | undefined;
  const nested = Object.values(manifest?.artifacts ?? {})
    .find(a => a.type === 'cdk:cloud-assembly' && a.properties?.directoryName === path.basename(dir));
  const displayName = nested?.properties?.displayName ?? nested?.displayName;
  return typeof displayName === 'string' ? displayName.replace(/^\//, '').split('/').join('-') : '';
}

// Plain constructs at every path of the metadata, each with its own metadata entries (acknowledgements, creation stacks).
function rebuild(root: RootConstruct, metadata: Map<string, MetadataEntry[]>, classes: ReadonlyMap<string, string>): Map<string, IConstruct> {
  const byPath = new Map<string, IConstruct>();
  const at = (constructPath: string): IConstruct => {
    const construct = constructAt(root, constructPath, classes);
    byPath.set(constructPath, construct);
    return construct;
  };
  for (const [constructPath, entries] of metadata) {
    const construct = at(constructPath);
    if (construct.node.metadata.length > 0) continue; // the same assembly was rebuilt for another template already
    for (const entry of entries) {
      if (entry.type !== LOGICAL_ID) construct.node.addMetadata(entry.type, entry.data);
    }
  }
  for (const nested of nestedStackPaths(metadata)) at(nested);
  return byPath;
}

function nestedStackPaths(metadata: Map<string, MetadataEntry[]>): string[] {
  return [...metadata.keys()].map(p => NESTED_STACK_RESOURCE.exec(p)).filter((m): m is RegExpExecArray => m !== null).map(m => `${m[1]}/${m[2]}`);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch {
    return '';
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined;
  }
}
