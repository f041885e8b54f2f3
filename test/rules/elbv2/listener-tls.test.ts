import { App, Fn, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ListenerTls } from '../../../src/rules/elbv2/listener-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const HTTP = ListenerTls.HTTP_FORWARDS.id;
const WEAK = ListenerTls.WEAK_POLICY.id;

function c18(app: App) {
  return findingsOf(app, [HTTP, WEAK]);
}

function alb(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  return new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
}

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d';
const TARGETS = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop/0123456789abcdef';

function cfnListener(stack: Stack, id: string, props: Partial<elbv2.CfnListenerProps>) {
  return new elbv2.CfnListener(stack, id, { loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/1', defaultActions: [{ type: 'forward', targetGroupArn: TARGETS }], ...props });
}

describe('C18 load balancer listeners', () => {
  test('passes an L2 HTTPS listener with a TLS 1.2+ policy and an HTTP redirect; fails HTTP forwarding and HTTPS without policy', () => {
    const { app, stack } = shop();
    const lb = alb(stack);
    const certificates = [acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE)];
    lb.addListener('Https', { port: 443, certificates, sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    lb.addRedirect({ sourcePort: 80, targetPort: 443 });
    lb.addListener('Plain', { port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc: lb.vpc, port: 80 })] });
    lb.addListener('DefaultPolicy', { port: 8443, certificates, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${HTTP} Shop/Lb/Plain/Resource`, `${WEAK} Shop/Lb/DefaultPolicy/Resource`]);
    expect(findings.find(f => f.ruleId === HTTP)).toMatchObject({
      severity: 'error',
      locations: ['Properties/DefaultActions'],
      message: expect.stringMatching(/^AWS::ElasticLoadBalancingV2::Listener LbPlain[0-9A-F]{8} listens on HTTP and forwards to targets instead of redirecting to HTTPS\.$/),
    });
    expect(findings.find(f => f.ruleId === WEAK)!.message).toMatch(/\(HTTPS\) has no SslPolicy, so ELB applies ELBSecurityPolicy-2016-08, which allows TLS 1\.0 and 1\.1\.$/);
  });

  test('fails a listener rule that forwards the requests of an HTTP listener, in its stack or another; passes rules of HTTPS listeners and HTTP redirects', () => {
    const { app, stack } = shop();
    const lb = alb(stack);
    const targets = new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc: lb.vpc, port: 80 });
    const redirect = lb.addRedirect({ sourcePort: 80, targetPort: 443 });
    // The redirect listener's default action is fine, but a rule added to it serves /status in clear text.
    redirect.addAction('Status', { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/status'])], action: elbv2.ListenerAction.forward([targets]) });
    redirect.addAction('Moved', { priority: 20, conditions: [elbv2.ListenerCondition.pathPatterns(['/old'])], action: elbv2.ListenerAction.redirect({ path: '/new' }) });
    const https = lb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.fixedResponse(404),
    });
    https.addTargetGroups('Api', { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])], targetGroups: [targets] });
    // A rule in another stack of the app, on the HTTP listener passed across.
    const routes = new Stack(app, 'Routes');
    new elbv2.CfnListenerRule(routes, 'Legacy', {
      listenerArn: redirect.listenerArn, priority: 30, conditions: [{ field: 'path-pattern', values: ['/legacy'] }], actions: [{ type: 'forward', targetGroupArn: TARGETS }],
    });
    // A listener that synth cannot resolve is unknown.
    new elbv2.CfnListenerRule(routes, 'Imported', {
      listenerArn: Fn.importValue('shared-http-listener'), priority: 40, conditions: [{ field: 'path-pattern', values: ['/x'] }], actions: [{ type: 'forward', targetGroupArn: TARGETS }],
    });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${HTTP} Routes/Legacy`, `${HTTP} Shop/Lb/Redirect80To443/StatusRule/Resource`]);
    expect(findings.find(f => f.constructPath === 'Routes/Legacy')).toMatchObject({
      severity: 'error',
      locations: ['Properties/Actions'],
      message: expect.stringMatching(/^AWS::ElasticLoadBalancingV2::ListenerRule Legacy forwards requests of HTTP listener LbRedirect80To443[0-9A-F]{8} to targets, so they are served in clear text\.$/),
    });
  });

  test('judges L1 listeners: weak named policies, TLS listeners, forward configs; passes redirects and fixed responses', () => {
    const { app, stack } = shop();
    cfnListener(stack, 'Weak', { protocol: 'HTTPS', port: 443, certificates: [{ certificateArn: CERTIFICATE }], sslPolicy: 'ELBSecurityPolicy-TLS-1-1-2017-01' });
    cfnListener(stack, 'WeakTls13', { protocol: 'TLS', port: 443, certificates: [{ certificateArn: CERTIFICATE }], sslPolicy: 'ELBSecurityPolicy-TLS13-1-0-2021-06' });
    cfnListener(stack, 'Strong', { protocol: 'HTTPS', port: 443, certificates: [{ certificateArn: CERTIFICATE }], sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    cfnListener(stack, 'ForwardConfig', { protocol: 'HTTP', port: 80, defaultActions: [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupArn: TARGETS }] } }] });
    cfnListener(stack, 'Redirect', { protocol: 'HTTP', port: 80, defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }] });
    cfnListener(stack, 'Fixed', { protocol: 'HTTP', port: 80, defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }] });
    cfnListener(stack, 'Tcp', { protocol: 'TCP', port: 5432 });
    expect(lines(c18(app))).toEqual([`${HTTP} Shop/ForwardConfig`, `${WEAK} Shop/Weak`, `${WEAK} Shop/WeakTls13`]);
  });

  test('catches escape hatches that swap the redirect for a forward or weaken the policy', () => {
    const { app, stack } = shop();
    const lb = alb(stack);
    const redirect = lb.addRedirect({ sourcePort: 80, targetPort: 443 });
    (redirect.node.defaultChild as elbv2.CfnListener).addPropertyOverride('DefaultActions', [{ Type: 'forward', TargetGroupArn: TARGETS }]);
    const https = lb.addListener('Https', {
      port: 443, certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', CERTIFICATE)], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: elbv2.ListenerAction.fixedResponse(404),
    });
    (https.node.defaultChild as elbv2.CfnListener).addPropertyOverride('SslPolicy', 'ELBSecurityPolicy-2016-08');
    expect(lines(c18(app))).toEqual([`${HTTP} Shop/Lb/Redirect80To443/Resource`, `${WEAK} Shop/Lb/Https/Resource`]);
  });

  test('treats intrinsic protocols, actions and policies as unknown, and unknown policy names as not judged', () => {
    const { app, stack } = shop();
    cfnListener(stack, 'IfProtocol', { protocol: Fn.importValue('Protocol'), port: 80 });
    cfnListener(stack, 'IfActions', { protocol: 'HTTP', port: 80 }).addPropertyOverride('DefaultActions', { 'Fn::If': ['C', [], []] });
    cfnListener(stack, 'IfAction', { protocol: 'HTTP', port: 80 }).addPropertyOverride('DefaultActions', [{ 'Fn::If': ['C', {}, {}] }]);
    cfnListener(stack, 'IfPolicy', { protocol: 'HTTPS', port: 443, sslPolicy: Fn.importValue('Policy') });
    cfnListener(stack, 'FuturePolicy', { protocol: 'HTTPS', port: 443, sslPolicy: 'ELBSecurityPolicy-TLS14-1-3-2031-01' });
    cfnListener(stack, 'IfProperties', { protocol: 'HTTP' }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c18(app)).toEqual([]);
  });
});
