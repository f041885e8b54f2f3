import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { SecurityGroupOpenPorts } from '../../../src/rules/network/security-group-open-ports';
import { findingsOf, lines, shop } from '../rule-harness';

const C17 = SecurityGroupOpenPorts.INFO.id;

function c17(app: App) {
  return findingsOf(app, [C17]);
}

function vpc(stack: Stack) {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
}

function cfnGroup(stack: Stack, id: string, ingress: ec2.CfnSecurityGroup.IngressProperty[]) {
  return new ec2.CfnSecurityGroup(stack, id, { groupDescription: id, vpcId: 'vpc-12345678', securityGroupIngress: ingress });
}

describe('Fintech-C17-SecurityGroupOpenToWorld', () => {
  test('fails an L2 group open to the world on SSH, passes one open on 80 and 443 and one open to the VPC only', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const ssh = new ec2.SecurityGroup(stack, 'Bastion', { vpc: network });
    ssh.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    const web = new ec2.SecurityGroup(stack, 'Web', { vpc: network });
    web.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    web.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(80));
    const internal = new ec2.SecurityGroup(stack, 'Internal', { vpc: network });
    internal.addIngressRule(ec2.Peer.ipv4(network.vpcCidrBlock), ec2.Port.tcp(5432));
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Bastion/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/SecurityGroupIngress/0'],
      message: expect.stringMatching(/^AWS::EC2::SecurityGroup Bastion[0-9A-F]{8} allows tcp port 22 from 0\.0\.0\.0\/0, which admits every address that can route to it \(the internet, when it is public or behind an internet-facing load balancer\), not only its clients\.$/),
    });
  });

  test('passes an internet-facing load balancer listening on 80 and 443', () => {
    const { app, stack } = shop();
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: vpc(stack), internetFacing: true });
    lb.addListener('Http', { port: 80, open: true }).addAction('Redirect', { action: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }) });
    expect(c17(app)).toEqual([]);
  });

  test('counts ranges covering other ports, all traffic and IPv6, on L1 groups and standalone ingress; skips ICMP', () => {
    const { app, stack } = shop();
    cfnGroup(stack, 'Range', [{ ipProtocol: 'tcp', fromPort: 80, toPort: 443, cidrIp: '0.0.0.0/0' }]);
    cfnGroup(stack, 'All', [{ ipProtocol: '-1', cidrIpv6: '::/0' }]);
    cfnGroup(stack, 'AllPorts', [{ ipProtocol: 'tcp', fromPort: -1, toPort: -1, cidrIp: '0.0.0.0/0' }]);
    cfnGroup(stack, 'Icmp', [{ ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIp: '0.0.0.0/0' }]);
    cfnGroup(stack, 'Web', [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' }, { ipProtocol: '6', fromPort: 80, toPort: 80, cidrIpv6: '::/0' }]);
    const target = cfnGroup(stack, 'Target', []);
    new ec2.CfnSecurityGroupIngress(stack, 'Rdp', { groupId: target.attrGroupId, ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIp: '0.0.0.0/0' });
    new ec2.CfnSecurityGroupIngress(stack, 'Https', { groupId: target.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/All`, `${C17} Shop/AllPorts`, `${C17} Shop/Range`, `${C17} Shop/Rdp`]);
    expect(findings.find(f => f.logicalId === 'All')!.message).toBe('AWS::EC2::SecurityGroup All allows all traffic (IpProtocol -1) from ::/0, which admits every address that can route to it (the internet, when it is public or behind an internet-facing load balancer), not only its clients.');
    expect(findings.find(f => f.logicalId === 'Range')!.message).toBe('AWS::EC2::SecurityGroup Range allows tcp ports 80-443 from 0.0.0.0/0, which admits every address that can route to it (the internet, when it is public or behind an internet-facing load balancer), not only its clients.');
  });

  test('catches an escape hatch that opens a group', () => {
    const { app, stack } = shop();
    const group = new ec2.SecurityGroup(stack, 'Db', { vpc: vpc(stack) });
    (group.node.defaultChild as ec2.CfnSecurityGroup).addPropertyOverride('SecurityGroupIngress', [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '0.0.0.0/0' }]);
    expect(lines(c17(app))).toEqual([`${C17} Shop/Db/Resource`]);
  });

  test('treats intrinsic sources, protocols and ports as unknown, and odd shapes as nothing', () => {
    const { app, stack } = shop();
    cfnGroup(stack, 'IfSource', [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: Fn.importValue('Cidr') }]);
    cfnGroup(stack, 'IfPort', [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }]).addPropertyOverride('SecurityGroupIngress.0.ToPort', { Ref: 'Port' });
    cfnGroup(stack, 'IfProtocol', [{ ipProtocol: Fn.importValue('Protocol'), cidrIp: '0.0.0.0/0' }]);
    cfnGroup(stack, 'IfRules', []).addPropertyOverride('SecurityGroupIngress', { 'Fn::If': ['C', [], []] });
    cfnGroup(stack, 'IfRule', []).addPropertyOverride('SecurityGroupIngress', [{ 'Fn::If': ['C', {}, {}] }, 'odd']);
    new ec2.CfnSecurityGroupIngress(stack, 'IfIngress', { ipProtocol: 'tcp' }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c17(app)).toEqual([]);
  });
});
