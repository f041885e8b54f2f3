import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ingressIndex, openedPorts } from '../../../src/rules/network/security-group-ingress';
import { StackTemplate } from '../../../src/rules/stack-template';
import { quietSynth, shop, templatesTogether } from '../rule-harness';

function indexOf(build: (stack: ReturnType<typeof shop>['stack']) => void) {
  const { app, stack } = shop();
  build(stack);
  const artifact = quietSynth(app).getStackByName('Shop');
  return ingressIndex(new StackTemplate({ templatePath: artifact.templateFullPath, template: artifact.template, stageName: '', durable: false, elements: new Map() }));
}

describe('security group ingress index', () => {
  test('collects inline and standalone rules by group, and marks what it cannot read', () => {
    const index = indexOf(stack => {
      const group = new ec2.CfnSecurityGroup(stack, 'Group', { groupDescription: 'g', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/8' }] });
      new ec2.CfnSecurityGroupIngress(stack, 'Extra', { groupId: group.attrGroupId, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '10.0.0.0/8' });
      new ec2.CfnSecurityGroup(stack, 'Odd', { groupDescription: 'g' }).addPropertyOverride('SecurityGroupIngress', { Ref: 'Rules' });
    });
    const group = [...index.bySecurityGroup.keys()].find(g => g.logicalId === 'Group')!;
    expect(index.bySecurityGroup.get(group)!.map(r => `${r.declaredBy.logicalId} ${r.location}`)).toEqual(['Group Properties/SecurityGroupIngress/0', 'Extra Properties']);
    expect([...index.unknownGroups].map(g => g.logicalId)).toEqual(['Odd']);
    expect(index.unknownTargets).toBe(false);
    expect(indexOf(stack => new ec2.CfnSecurityGroupIngress(stack, 'Imported', { groupId: Fn.importValue('G'), ipProtocol: '-1' })).unknownTargets).toBe(true);
  });

  test('reads ports of tcp, udp, all-traffic and ICMP rules, and nothing of intrinsic ones', () => {
    expect(openedPorts({ IpProtocol: 'tcp', FromPort: 22, ToPort: 23 })).toEqual({ from: 22, to: 23 });
    expect(openedPorts({ IpProtocol: 17, FromPort: '53', ToPort: '53' })).toEqual({ from: 53, to: 53 });
    expect(openedPorts({ IpProtocol: '-1' })).toEqual({ all: true });
    expect(openedPorts({ IpProtocol: 'tcp', FromPort: -1, ToPort: -1 })).toEqual({ all: true });
    expect(openedPorts({ IpProtocol: 'icmpv6', FromPort: -1, ToPort: -1 })).toEqual({ none: true });
    expect(openedPorts({ IpProtocol: { Ref: 'P' } })).toBeUndefined();
    expect(openedPorts({ IpProtocol: 'tcp', FromPort: { Ref: 'P' }, ToPort: 22 })).toBeUndefined();
  });

  test('indexes a standalone rule of one template under the group another template exports', () => {
    const { Net: network, App: app } = templatesTogether({
      Net: { Resources: { Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g' } } }, Outputs: { ExportsOutputGroup: { Value: { 'Fn::GetAtt': ['Group', 'GroupId'] }, Export: { Name: 'Net:Group' } } } },
      App: { Resources: { Https: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::ImportValue': 'Net:Group' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 } } } },
    });
    const index = ingressIndex(app);
    expect(index).toBe(ingressIndex(network));
    expect(index.bySecurityGroup.get(network.resource('Group')!)!.map(r => r.declaredBy)).toEqual([app.resource('Https')]);
    expect(index.unknownTargets).toBe(false);
  });
});
