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

/** The ingress rules of one template by security group logical id. */
export interface IngressIndex {
  /** Readable rules by security group. */
  readonly bySecurityGroup: ReadonlyMap<string, readonly IngressRule[]>;
  /** Security groups with a rule that cannot be read (an intrinsic rule list or entry): their ingress is unknown. */
  readonly unknownGroups: ReadonlySet<string>;
  /** A standalone ingress names its group by something that cannot be resolved: any group may have more ingress. */
  readonly unknownTargets: boolean;
}

/** Ports a rule opens: every port, an inclusive range, or none (ICMP); undefined when unknown. */
export type OpenedPorts = { readonly all: true } | { readonly from: number; readonly to: number } | { readonly none: true };

/** Security group ingress of the template, indexed once per stack. */
export function ingressIndex(stack: StackTemplate): IngressIndex {
  return stack.memo('network.ingressIndex', () => {
    const bySecurityGroup = new Map<string, IngressRule[]>();
    const unknownGroups = new Set<string>();
    let unknownTargets = false;
    const add = (group: string, rule: IngressRule) => {
      const rules = bySecurityGroup.get(group);
      if (rules) rules.push(rule); else bySecurityGroup.set(group, [rule]);
    };
    for (const group of stack.resourcesOfType('AWS::EC2::SecurityGroup')) {
      const ingress = group.properties ? group.properties.SecurityGroupIngress : undefined;
      if (!group.properties || (ingress !== undefined && !Array.isArray(ingress))) {
        unknownGroups.add(group.logicalId);
        continue;
      }
      for (const [i, rule] of (ingress ?? []).entries()) {
        if (TemplateValue.isObject(rule) && !TemplateValue.isIntrinsic(rule)) add(group.logicalId, { declaredBy: group, location: `Properties/SecurityGroupIngress/${i}`, rule });
        else unknownGroups.add(group.logicalId);
      }
    }
    for (const ingress of stack.resourcesOfType('AWS::EC2::SecurityGroupIngress')) {
      const group = ingress.properties ? TemplateValue.referencedId(ingress.properties.GroupId) : undefined;
      if (!ingress.properties || !group) {
        unknownTargets = true;
        continue;
      }
      add(group, { declaredBy: ingress, location: 'Properties', rule: ingress.properties });
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
  const from = portOf(rule.FromPort);
  const to = portOf(rule.ToPort);
  if (from === undefined || to === undefined) return undefined;
  return from === -1 || to === -1 ? { all: true } : { from, to };
}

function portOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
}
