import * as fs from 'fs';
import * as path from 'path';

/** One stack of a cloud assembly, as its manifest describes it. */
export interface AssemblyStack {
  /** The CloudFormation stack name, e.g. `dev-Ledger`. */
  readonly stackName: string;
  /** The path cdk selects by, e.g. `dev/Ledger`. */
  readonly displayName: string;
  /** Region of the stack's environment; undefined when environment-agnostic. */
  readonly region?: string;
  /** Absolute path of its template. */
  readonly templateFile: string;
}

/** What a cloud assembly holds for one stage. */
export interface StageAssembly {
  /** The stage's stacks (display name `<stage>/...`), in manifest order. */
  readonly stacks: AssemblyStack[];
  /**
   * Where the stage's templates are: the nested assembly directory of its `Stage` (nested stacks' templates and inner
   * stages included), and the template files of stage stacks outside one.
   */
  readonly templateSources: string[];
}

interface Manifest {
  readonly artifacts?: { [id: string]: { type?: string; environment?: string; displayName?: string; properties?: { [key: string]: unknown } } };
}

/** Whether `dir` holds a cloud assembly (a `manifest.json` that `cdk synth` wrote). */
export function isCloudAssembly(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'manifest.json'));
}

/**
 * The stacks of `stage` in the cloud assembly at `assemblyDir`, nested stage assemblies included: the stacks
 * `cdk deploy '<stage>/*'` selects. Throws, naming the directory and what to do, when it is not a cloud assembly.
 */
export function readStageAssembly(assemblyDir: string, stage: string): StageAssembly {
  return walk(assemblyDir, stage);
}

/** Every stack of the cloud assembly at `assemblyDir`, nested stage assemblies included (what `cdk destroy --app DIR '**'` selects). */
export function assemblyStacks(assemblyDir: string): AssemblyStack[] {
  return walk(assemblyDir, undefined).stacks;
}

// The stacks of one stage, or of every stage when `stage` is undefined.
function walk(assemblyDir: string, stage: string | undefined): StageAssembly {
  if (!isCloudAssembly(assemblyDir)) {
    throw new Error(`${assemblyDir} is not a cloud assembly (no manifest.json in it); synthesize one with npx cdk synth, or pass the directory the build wrote.`);
  }
  const stacks: AssemblyStack[] = [];
  const templateSources: string[] = [];
  const visit = (dir: string, inStageAssembly: boolean): void => {
    const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      const properties = artifact.properties ?? {};
      if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
        const nested = path.join(dir, properties.directoryName);
        const displayName = typeof properties.displayName === 'string' ? properties.displayName : id;
        const ofStage = !inStageAssembly && (stage === undefined || belongsTo(displayName, stage, true));
        if (ofStage) templateSources.push(path.resolve(nested));
        if (isCloudAssembly(nested)) visit(nested, inStageAssembly || ofStage);
      } else if (artifact.type === 'aws:cloudformation:stack') {
        const displayName = artifact.displayName ?? id;
        if (stage !== undefined && !belongsTo(displayName, stage, false)) continue;
        const templateFile = path.resolve(dir, typeof properties.templateFile === 'string' ? properties.templateFile : `${id}.template.json`);
        const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
        stacks.push({
          stackName: typeof properties.stackName === 'string' ? properties.stackName : id,
          displayName,
          ...(region && region !== 'unknown-region' ? { region } : {}),
          templateFile,
        });
        if (!inStageAssembly) templateSources.push(templateFile);
      }
    }
  };
  visit(assemblyDir, false);
  return { stacks, templateSources };
}

// A stage's stacks have display names `<stage>/<id>`; its nested assembly is displayed as `<stage>`.
function belongsTo(displayName: string, stage: string, orItself: boolean): boolean {
  return displayName.startsWith(`${stage}/`) || (orItself && displayName === stage);
}
