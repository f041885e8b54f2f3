import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One resource of a synthesized template, with the construct it came from when there is one. */
export interface IndexedResource {
  readonly logicalId: string;
  readonly type: string;
  /** The resource as synthesized: overrides and escape hatches included. */
  readonly template: { readonly [key: string]: any };
  readonly properties: { readonly [key: string]: any };
  /** Construct path; for resources that exist only in the template, the stack path plus the logical id. */
  readonly constructPath: string;
  /** The construct to read acknowledgements from: the L1, or the stack for template-only resources. */
  readonly owner: IConstruct;
  /** The L1 construct, when the resource has one. */
  readonly construct?: CfnResource;
}

/** A synthesized template indexed once: by type and by logical id. */
export class IndexedStack {
  public readonly resources: IndexedResource[] = [];
  private readonly byType = new Map<string, IndexedResource[]>();
  private readonly byLogicalId = new Map<string, IndexedResource>();

  constructor(
    public readonly templatePath: string,
    public readonly template: { readonly [key: string]: any },
    public readonly stack: Stack | undefined,
    public readonly stage: string,
    constructs: ReadonlyMap<string, CfnElement>,
    fallbackOwner: IConstruct,
  ) {
    const stackPath = stack?.node.path ?? path.basename(templatePath, '.template.json');
    for (const [logicalId, raw] of Object.entries<any>(template.Resources ?? {})) {
      if (!raw || typeof raw !== 'object' || typeof raw.Type !== 'string') continue;
      const element = constructs.get(logicalId);
      const construct = element && CfnResource.isCfnResource(element) ? element : undefined;
      const resource: IndexedResource = {
        logicalId,
        type: raw.Type,
        template: raw,
        properties: raw.Properties && typeof raw.Properties === 'object' ? raw.Properties : {},
        constructPath: element?.node.path ?? `${stackPath}/${logicalId}`,
        owner: element ?? stack ?? fallbackOwner,
        construct,
      };
      this.resources.push(resource);
      this.byLogicalId.set(logicalId, resource);
      const ofType = this.byType.get(raw.Type) ?? [];
      ofType.push(resource);
      this.byType.set(raw.Type, ofType);
    }
  }

  /** Resources of one CloudFormation type. */
  public ofType(type: string): IndexedResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource with this logical id. */
  public get(logicalId: string): IndexedResource | undefined {
    return this.byLogicalId.get(logicalId);
  }

  /** The logical id a `Ref` or `Fn::GetAtt` points at, or undefined for anything else. */
  public static referencedId(value: unknown): string | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string') return v['Fn::GetAtt'][0];
    if (typeof v['Fn::GetAtt'] === 'string') return (v['Fn::GetAtt'] as string).split('.')[0];
    return undefined;
  }
}

/**
 * Reads every template once and maps it to its stack, stage and constructs, walking the
 * construct tree once. Works in a bare `new App()` too, where templates carry no path metadata.
 */
export function indexTemplates(scope: IConstruct, templatePaths: readonly string[]): IndexedStack[] {
  const stacks = new Map<string, Stack>();
  const byFileName = new Map<string, Stack[]>();
  const elements = new Map<Stack, Map<string, CfnElement>>();
  for (const construct of scope.node.findAll()) {
    if (Stack.isStack(construct)) {
      const stage = Stage.of(construct);
      if (stage) stacks.set(path.resolve(stage.outdir, construct.templateFile), construct);
      byFileName.set(construct.templateFile, [...(byFileName.get(construct.templateFile) ?? []), construct]);
    } else if (CfnElement.isCfnElement(construct)) {
      const stack = construct.stack;
      const logicalId = stack.resolve(construct.logicalId);
      if (typeof logicalId !== 'string') continue;
      const map = elements.get(stack) ?? new Map<string, CfnElement>();
      map.set(logicalId, construct);
      elements.set(stack, map);
    }
  }
  return templatePaths.map(templatePath => {
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    const candidates = byFileName.get(path.basename(templatePath)) ?? [];
    const stack = stacks.get(path.resolve(templatePath)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    const stage = stack ? Stage.of(stack)?.stageName ?? '' : '';
    return new IndexedStack(templatePath, template, stack, stage, elements.get(stack as Stack) ?? new Map(), scope);
  });
}
