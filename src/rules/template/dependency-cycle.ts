import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate } from '../stack-template';
import { TemplateReference, templateReferences } from './template-references';

/** One edge of the dependency graph: `from` cannot be created before `to`. */
interface Dependency {
  readonly to: string;
  readonly references: readonly TemplateReference[];
}

/**
 * Resources of one template that depend on one another in a circle, which CloudFormation refuses before creating
 * anything ("Circular dependency between resources"). A dependency is what CloudFormation counts as one: `Ref`,
 * `Fn::GetAtt`, `Fn::Sub` variables (not `${!Literal}`, not the array form's own variables) and `DependsOn`, wherever
 * they sit, key policies and their conditions included, and both branches of `Fn::If`. Parameters, pseudo parameters
 * and resources of other templates (nested stacks go through parameters) are never part of a cycle, nor are names in
 * `UpdatePolicy` and `CreationPolicy`. Judges every
 * template, whatever construct wrote it; skips templates that ask for a transform, which rewrites resources at deploy time.
 * Catalog class C05: such cycles arise where a key policy grants a role or service by ARN while that role's policy, or
 * the resource the service feeds, refers back to the key.
 */
export class DependencyCycle implements FintechRule {
  /** Metadata of `Fintech-C05-DependencyCycle`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-DependencyCycle',
    catalogId: 'C05',
    title: 'No dependency cycle among the resources of a template',
    description: 'CloudFormation refuses a template whose resources depend on one another in a circle (through Ref, Fn::GetAtt, Fn::Sub, DependsOn, ' +
      'key policies and their conditions, either branch of Fn::If), so nothing deploys. Typical: a key policy that names a role by ARN while the role\'s ' +
      'policy names the key; and a key policy whose aws:SourceArn condition names a resource the same key encrypts, which CDK\'s SqsSubscription ' +
      'writes when a topic and its queue share a key under @aws-cdk/aws-sns-subscriptions:restrictSqsDescryption, a `cdk init` default (aws/aws-cdk#35418). ' +
      'Judged on every template, whatever construct wrote it, each nested template on its own. Not judged: templates that ask for a ' +
      'transform (Transform, Fn::Transform, Fn::ForEach), which rewrites resources at deploy time; names in UpdatePolicy and CreationPolicy, ' +
      'left out so that no circle CloudFormation accepts is reported; resource Metadata; parameters, pseudo parameters and resources of other ' +
      'templates, which are never part of a cycle (a circle through a nested stack shows in its parent, through the stack\'s Parameters and ' +
      'outputs).',
    fix: 'Break one link: grant on one side only (the role\'s policy, not also the key policy), give the resource a key policy condition names a key ' +
      'of its own (a topic apart from its queues\' key), build one ARN from a fixed name instead of a reference, or move one resource to another stack.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'DependencyCycle';
  public readonly infos = [DependencyCycle.INFO];

  public checkTemplate(stack: StackTemplate): RuleFinding[] {
    const refs = templateReferences(stack);
    if (!refs.judgeable) return [];
    const graph = new Map<string, Dependency[]>();
    for (const element of refs.elements) {
      if (element.section !== 'Resources') continue;
      const byTarget = new Map<string, TemplateReference[]>();
      for (const reference of element.references) {
        if ((reference.kind !== 'resource' && reference.kind !== 'resource-or-parameter') || !refs.resources.has(reference.target)) continue;
        // Update and creation policies name resources CloudFormation acts on during updates; not judged as dependencies (precision first).
        if (/^(UpdatePolicy|CreationPolicy)(\/|$)/.test(reference.location)) continue;
        const list = byTarget.get(reference.target);
        if (list) list.push(reference); else byTarget.set(reference.target, [reference]);
      }
      graph.set(element.logicalId, [...byTarget].map(([to, references]) => ({ to, references })));
    }
    const order = [...graph.keys()];
    const position = new Map(order.map((id, i) => [id, i]));
    return stronglyConnected(order, graph)
      .filter(component => component.length > 1 || graph.get(component[0])!.some(d => d.to === component[0]))
      .map(component => {
        const members = new Set(component);
        const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
        const cycle = shortestCycle(start, members, graph);
        const links = cycle.slice(0, -1).map((from, i) => {
          const dependency = graph.get(from)!.find(d => d.to === cycle[i + 1])!;
          const first = dependency.references[0];
          return `${from} -> ${cycle[i + 1]} (${first.via} at ${first.location})`;
        });
        const others = component.filter(id => !cycle.includes(id)).sort((a, b) => position.get(a)! - position.get(b)!);
        const resource = stack.resource(start)!;
        const startLocations = graph.get(start)!.find(d => d.to === cycle[1])!.references.map(r => r.location);
        return {
          ruleId: DependencyCycle.INFO.id,
          stack,
          logicalId: start,
          resourceType: resource.type,
          message: `Resources ${cycle.join(' -> ')} of ${stack.templateFile} depend on one another in a circle, so CloudFormation refuses the template ` +
            `("Circular dependency between resources"): ${links.join('; ')}.` +
            (others.length > 0 ? ` Also tied into the same circle: ${others.join(', ')}.` : ''),
          locations: [...new Set(startLocations)],
        };
      });
  }
}

// Tarjan's algorithm, iterative so a long chain of resources cannot overflow the stack; components in discovery order.
function stronglyConnected(order: readonly string[], graph: ReadonlyMap<string, readonly Dependency[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of order) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.id) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter); low.set(to, counter); counter++;
          stack.push(to); onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

// The shortest path from `start` back to itself inside its component, e.g. [Key, Role, Policy, Key].
function shortestCycle(start: string, members: ReadonlySet<string>, graph: ReadonlyMap<string, readonly Dependency[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const { to } of graph.get(id) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) return cyclePath(start, id, previous);
      if (!previous.has(to)) {
        previous.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

function cyclePath(start: string, last: string, previous: ReadonlyMap<string, string>): string[] {
  const path: string[] = [];
  for (let at: string | undefined = last; at !== undefined && at !== start; at = previous.get(at)) path.unshift(at);
  return [start, ...path, start];
}
