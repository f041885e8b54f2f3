import * as fs from 'fs';
import * as path from 'path';

/** One stack template of a cloud assembly, parsed. */
export interface StackTemplate {
  /** The template file. */
  readonly file: string;
  /** Its parsed JSON. */
  readonly template: any;
}

/**
 * Every stack template of cloud assembly directories (or single template files), in a stable order: the templates a
 * cloud assembly's manifest lists, nested stacks' templates (CDK records each one's file as `aws:asset:path`) and
 * nested stage assemblies included. A directory without a manifest: every `*.template.json` in it and its
 * `assembly-*` directories. A path that does not exist adds nothing; each file is read once.
 */
export function stackTemplates(assemblies: readonly string[]): StackTemplate[] {
  const found: StackTemplate[] = [];
  const seen = new Set<string>();
  const read = (file: string): any => {
    const template = JSON.parse(fs.readFileSync(file, 'utf-8'));
    found.push({ file, template });
    return template;
  };
  // A stack template and the nested stacks' templates it deploys.
  const readStack = (file: string): void => {
    const resolved = path.resolve(file);
    if (seen.has(resolved) || !fs.existsSync(file)) return;
    seen.add(resolved);
    const resources: { [id: string]: { Type?: string; Metadata?: { [key: string]: unknown } } } = read(file).Resources ?? {};
    for (const resource of Object.values(resources)) {
      const nested = resource.Metadata?.['aws:asset:path'];
      if (resource.Type === 'AWS::CloudFormation::Stack' && typeof nested === 'string' && nested.endsWith('.template.json')) {
        readStack(path.join(path.dirname(file), nested));
      }
    }
  };
  const visit = (dir: string): void => {
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name.startsWith('assembly-')) visit(file);
        if (entry.isFile() && entry.name.endsWith('.template.json')) readStack(file);
      }
      return;
    }
    // A cloud assembly: only what its manifest lists, so templates a previous synth left behind (cdk synth never
    // deletes them) are not read.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      const properties = artifact.properties ?? {};
      if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
        const nested = path.join(dir, properties.directoryName);
        if (fs.existsSync(nested)) visit(nested);
      } else if (artifact.type === 'aws:cloudformation:stack') {
        readStack(path.join(dir, typeof properties.templateFile === 'string' ? properties.templateFile : `${id}.template.json`));
      }
    }
  };
  for (const source of assemblies) {
    if (!fs.existsSync(source)) continue;
    if (fs.statSync(source).isDirectory()) visit(source);
    else readStack(source);
  }
  return found;
}

/** `dev-Ledger` for `.../dev-Ledger.template.json`: how messages name a template. */
export function templateName(file: string): string {
  return path.basename(file).replace(/\.template\.json$/, '');
}
