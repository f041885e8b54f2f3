import * as fs from 'fs';
import * as path from 'path';
import { Names } from 'aws-cdk-lib';
import { Construct, IConstruct, RootConstruct } from 'constructs';
import { NestedStackParent, StackTemplate, TemplatePeers } from './stack-template';
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
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string; readonly displayName?: string };
  readonly metadata?: Record<string, MetadataEntry[]>;
  readonly additionalMetadataFile?: string;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** One stack of the cloud assembly: its path, template file and the metadata of its constructs by path. */
interface AssemblyStack {
  readonly path: string;
  readonly templateFile: string;
  readonly metadata: Map<string, MetadataEntry[]>;
}

/**
 * The templates a validation plugin receives, indexed without the construct tree: for a `FintechChecks` constructed
 * without a scope, the way cdk-nag 3 packs are. The cloud assembly stands in for the tree: each stack artifact's
 * metadata (`manifest.json` and `<stack>.metadata.json`) maps logical ids to construct paths and carries the
 * acknowledgements (`Validations.of(construct).acknowledge`) made on constructs inside stacks, which are rebuilt as a
 * tree of plain constructs with that metadata. Nested stacks' templates are added after their parents, linked to them; a template of a
 * nested assembly is judged as the stage that wrote it (the stage path, `/` turned into `-`, as CDK names nested
 * stages). Not visible this way: acknowledgements on the app or a stage outside every stack, and the stacks' classes.
 */
export function assemblyTemplates(templatePaths: readonly string[], options: AssemblyTemplatesOptions): StackTemplate[] {
  const root = new RootConstruct();
  const manifests = new Map<string, AssemblyStack[]>();
  const templates: StackTemplate[] = [];
  const peers = new TemplatePeers();
  for (const templatePath of templatePaths.map(p => path.resolve(p))) {
    const dir = path.dirname(templatePath);
    if (!manifests.has(dir)) manifests.set(dir, readStacks(dir));
    const stack = manifests.get(dir)!.find(s => s.templateFile === path.basename(templatePath));
    const stageOfDir = stageNameOf(dir);
    if (!stack) {
      templates.push(stackTemplate(templatePath, new Map(), stageOfDir, undefined, options, undefined, peers));
      continue;
    }
    const constructs = rebuild(root, stack.metadata);
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
        if (logicalId !== undefined && ownerOf(constructPath) === owner) elements.set(logicalId, constructs.get(constructPath)!);
      }
      // A nested stack's resource sits in its parent's template, at `<parent>/<id>.NestedStack/<id>.NestedStackResource`.
      const resourcePath = `${owner}.NestedStack/${owner.split('/').pop()}.NestedStackResource`;
      const parentTemplate = owner === stack.path ? undefined : byOwner.get(ownerOf(resourcePath));
      const logicalId = logicalIdAt(resourcePath);
      const parent = parentTemplate && logicalId ? { template: parentTemplate, logicalId } : undefined;
      const template = stackTemplate(file, elements, stageOfDir, recorded, options, parent, peers);
      byOwner.set(owner, template);
      templates.push(template);
    }
  }
  return templates;
}

function stackTemplate(templatePath: string, elements: Map<string, IConstruct>, stageOfDir: string,
  recorded: { stageName: string; durable: boolean } | undefined, options: AssemblyTemplatesOptions, parent: NestedStackParent | undefined,
  peers: TemplatePeers): StackTemplate {
  let template: unknown;
  try {
    template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  } catch (error) {
    throw new Error(`FintechChecks cannot read the template ${templatePath}: ${(error as Error).message}`);
  }
  const stageName = options.stage ?? (recorded?.stageName || stageOfDir);
  const durable = (options.stage === undefined ? recorded?.durable : undefined) ?? options.durableStages.includes(stageName);
  return new StackTemplate({ templatePath, template, stageName, durable, elements, parent, peers });
}

// The stack artifacts of one assembly directory, with their metadata by construct path (leading '/' dropped).
function readStacks(dir: string): AssemblyStack[] {
  const manifest = readJson(path.join(dir, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> } | undefined;
  return Object.values(manifest?.artifacts ?? {})
    .filter(artifact => artifact.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string')
    .map(artifact => {
      const extra = artifact.additionalMetadataFile
        ? readJson(path.join(dir, artifact.additionalMetadataFile)) as Record<string, MetadataEntry[]> | undefined
        : undefined;
      const metadata = new Map<string, MetadataEntry[]>();
      for (const [constructPath, entries] of [...Object.entries(artifact.metadata ?? {}), ...Object.entries(extra ?? {})]) {
        const key = constructPath.replace(/^\//, '');
        metadata.set(key, [...(metadata.get(key) ?? []), ...(Array.isArray(entries) ? entries : [])]);
      }
      return { path: (artifact.displayName ?? '').replace(/^\//, ''), templateFile: artifact.properties!.templateFile!, metadata };
    });
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
function rebuild(root: RootConstruct, metadata: Map<string, MetadataEntry[]>): Map<string, IConstruct> {
  const byPath = new Map<string, IConstruct>();
  const at = (constructPath: string): IConstruct => {
    let current: IConstruct = root;
    for (const id of constructPath.split('/').filter(Boolean)) {
      current = current.node.tryFindChild(id) ?? new Construct(current as Construct, id);
    }
    byPath.set(constructPath, current);
    return current;
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

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined;
  }
}
