import { followedId } from '../events/deliveries';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** One ingress rule of a security group: inline in `AWS::EC2::SecurityGroup` or a standalone `AWS::EC2::SecurityGroupIngress`. */
export interface IngressRule {
  /** The resource that declares it. */
  readonly declaredBy: TemplateResource;
  /** Its location in that resource, e.g. `Properties/SecurityGroupIngress/0` or `Properties`. */
  readonly location: string;
  /** The rule's properties (IpProtocol, FromPort, ToPort, CidrIp, ...). */
  readonly rule: { readonly [key: string]: unknown };
}

/** The ingress rules of the templates validated together, by security group. */
export interface IngressIndex {
  /** Readable rules by `AWS::EC2::SecurityGroup`, whichever template of the stage declares them. */
  readonly bySecurityGroup: ReadonlyMap<TemplateResource, readonly IngressRule[]>;
  /** Security groups with a rule that cannot be read (an intrinsic rule list or entry): their ingress is unknown. */
  readonly unknownGroups: ReadonlySet<TemplateResource>;
  /** A standalone ingress names its group by something that cannot be resolved: any group may have more ingress. */
  readonly unknownTargets: boolean;
}

/** Ports a rule opens: every port, an inclusive range, or none (ICMP); undefined when unknown. */
export type OpenedPorts = { readonly all: true } | { readonly from: number; readonly to: number } | { readonly none: true };

/**
 * Security group ingress of every template validated with `stack`, indexed once per validation: a standalone
 * `AWS::EC2::SecurityGroupIngress` of one stack on another stack's group (an import, a nested-stack parameter), as CDK
 * writes for `connections.allowTo` across stacks, counts for that group.
 */
export function ingressIndex(stack: StackTemplate): IngressIndex {
  return stack.peers.memo('network.ingressIndex', () => {
    const bySecurityGroup = new Map<TemplateResource, IngressRule[]>();
    const unknownGroups = new Set<TemplateResource>();
    let unknownTargets = false;
    const add = (group: TemplateResource, rule: IngressRule) => {
      const rules = bySecurityGroup.get(group);
      if (rules) rules.push(rule); else bySecurityGroup.set(group, [rule]);
    };
    for (const template of stack.peers.templates) {
      for (const group of template.resourcesOfType('AWS::EC2::SecurityGroup')) {
        const ingress = group.properties ? group.properties.SecurityGroupIngress : undefined;
        if (!group.properties || (ingress !== undefined && !Array.isArray(ingress))) {
          unknownGroups.add(group);
          continue;
        }
        for (const [i, rule] of (ingress ?? []).entries()) {
          if (TemplateValue.isObject(rule) && !TemplateValue.isIntrinsic(rule)) add(group, { declaredBy: group, location: `Properties/SecurityGroupIngress/${i}`, rule });
          else unknownGroups.add(group);
        }
      }
      for (const ingress of template.resourcesOfType('AWS::EC2::SecurityGroupIngress')) {
        const group = ingress.properties ? followedId(template, ingress.properties.GroupId) : { kind: 'unknown' as const };
        // A literal id or a top-level parameter is a group outside the stage; anything else may be any of its groups.
        if (group.kind === 'resource') add(group.resource, { declaredBy: ingress, location: 'Properties', rule: ingress.properties! });
        else if (group.kind === 'unknown') unknownTargets = true;
      }
    }
    return { bySecurityGroup, unknownGroups, unknownTargets };
  });
}

/** The ports an ingress rule opens; undefined when its protocol or ports are intrinsic. */
export function openedPorts(rule: { readonly [key: string]: unknown }): OpenedPorts | undefined {
  const protocol = typeof rule.IpProtocol === 'number' ? String(rule.IpProtocol) : rule.IpProtocol;
  if (typeof protocol !== 'string') return undefined;
  const name = protocol.toLowerCase();
  if (['icmp', 'icmpv6', '1', '58'].includes(name)) return { none: true };
  if (!['tcp', 'udp', '6', '17'].includes(name)) return { all: true }; // -1 and protocols without ports open everything they carry
  const from = TemplateValue.integerOf(rule.FromPort);
  const to = TemplateValue.integerOf(rule.ToPort);
  if (from === undefined || to === undefined) return undefined;
  return from === -1 || to === -1 ? { all: true } : { from, to };
}

