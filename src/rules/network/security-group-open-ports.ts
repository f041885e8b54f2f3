import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { IngressRule, openedPorts } from './security-group-ingress';

// The only ports a fintech workload serves to the whole internet: HTTP (to redirect) and HTTPS.
const WEB_PORTS = [80, 443];
const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * C17: no security group ingress (inline in `AWS::EC2::SecurityGroup` or a standalone
 * `AWS::EC2::SecurityGroupIngress`) opens a port other than 80 and 443 to 0.0.0.0/0 or ::/0. A range
 * that covers another port counts, and so does IpProtocol -1 (every protocol and port); ICMP has no
 * ports and is not judged. An intrinsic source, protocol or port is unknown.
 */
export class SecurityGroupOpenPorts implements FintechRule {
  /** Metadata of `Fintech-C17-SecurityGroupOpenToWorld`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-SecurityGroupOpenToWorld',
    catalogId: 'C17',
    title: 'Security groups open only ports 80 and 443 to the internet',
    description: 'SSH, RDP, database and admin ports open to 0.0.0.0/0 are found by scanners within minutes; PCI DSS forbids inbound internet traffic to anything but the public web tier. ' +
      'Judged on inline (AWS::EC2::SecurityGroup) and standalone (AWS::EC2::SecurityGroupIngress) ingress rules; a port range covering another ' +
      'port and IpProtocol -1 count. Not judged: ICMP (it has no ports), sources other than exactly 0.0.0.0/0 or ::/0 (a wide CIDR such as ' +
      '0.0.0.0/1, a prefix list), intrinsic sources, protocols and ports.',
    fix: 'Allow the port from a security group or the VPC CIDR (connections.allowFrom(peer, port)), use Systems Manager Session Manager instead of SSH, and keep 0.0.0.0/0 for 80 and 443 on load balancers.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'SecurityGroupOpenPorts';
  public readonly infos = [SecurityGroupOpenPorts.INFO];
  public readonly resourceTypes = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const rules: IngressRule[] = [];
    if (resource.type === 'AWS::EC2::SecurityGroupIngress') {
      rules.push({ declaredBy: resource, location: 'Properties', rule: properties });
    } else if (Array.isArray(properties.SecurityGroupIngress)) {
      for (const [i, rule] of properties.SecurityGroupIngress.entries()) {
        if (TemplateValue.isObject(rule) && !TemplateValue.isIntrinsic(rule)) rules.push({ declaredBy: resource, location: `Properties/SecurityGroupIngress/${i}`, rule });
      }
    }
    const open = rules.filter(opensNonWebPortToWorld);
    if (open.length === 0) return [];
    return [findingOn(resource, SecurityGroupOpenPorts.INFO.id,
      `${resource.type} ${resource.logicalId} allows ${open.map(describe).join('; ')}, which admits every address that can route to it (the internet, when it is public or behind an internet-facing load balancer), not only its clients.`,
      open.map(rule => rule.location))];
  }
}

function opensNonWebPortToWorld({ rule }: IngressRule): boolean {
  if (!WORLD.has(String(rule.CidrIp)) && !WORLD.has(String(rule.CidrIpv6))) return false;
  const ports = openedPorts(rule);
  if (!ports || 'none' in ports) return false;
  if ('all' in ports) return true;
  const webPortsInRange = WEB_PORTS.filter(port => port >= ports.from && port <= ports.to).length;
  return ports.to - ports.from + 1 > webPortsInRange;
}

function describe({ rule }: IngressRule): string {
  const ports = openedPorts(rule)!;
  const source = WORLD.has(String(rule.CidrIp)) ? rule.CidrIp : rule.CidrIpv6;
  if ('all' in ports) return `all traffic (IpProtocol ${String(rule.IpProtocol)}) from ${source}`;
  const range = 'from' in ports && ports.from !== ports.to ? `ports ${ports.from}-${ports.to}` : `port ${(ports as { from: number }).from}`;
  return `${String(rule.IpProtocol)} ${range} from ${source}`;
}
