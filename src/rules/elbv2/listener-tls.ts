import { ELB_DEFAULT_SSL_POLICY, isWeakElbPolicy } from '../../facts/tls-policies';
import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/**
 * C18: load balancer listeners encrypt. An HTTP listener may only redirect (or answer with a fixed
 * response), never forward to targets, by its default actions or by a listener rule (`AWS::ElasticLoadBalancingV2::ListenerRule`
 * whose listener resolves in the validation's templates); an HTTPS or TLS listener uses a security policy with TLS 1.2
 * as its minimum (`data/tls-policies.ts`; without SslPolicy ELB applies ELBSecurityPolicy-2016-08,
 * which allows TLS 1.0). Intrinsic protocols, actions and policies are unknown.
 */
export class ListenerTls implements FintechRule {
  /** HTTP listener that forwards. */
  public static readonly HTTP_FORWARDS: RuleInfo = {
    id: 'Fintech-C18-HttpListenerForwards',
    catalogId: 'C18',
    title: 'HTTP listeners redirect to HTTPS',
    description: 'An HTTP listener that forwards serves the application in clear text: session cookies, tokens and payment data cross the network unencrypted, which PCI DSS forbids. ' +
      'Judged on the default actions of HTTP listeners (AWS::ElasticLoadBalancingV2::Listener) and the actions of their listener rules ' +
      '(AWS::ElasticLoadBalancingV2::ListenerRule, the listener in any stack of the app); redirects and fixed responses pass. ' +
      'Not judged: TCP and UDP listeners of Network Load Balancers, Classic Load Balancers, listeners without a literal Protocol ' +
      '(intrinsic, or Gateway Load Balancer listeners), rules whose listener synth cannot resolve (an imported listener ARN), intrinsic actions.',
    fix: 'Forward only from an HTTPS listener and give the HTTP listener a redirect: listener action elbv2.ListenerAction.redirect({ protocol: "HTTPS", port: "443", permanent: true }).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** HTTPS or TLS listener with a policy below TLS 1.2. */
  public static readonly WEAK_POLICY: RuleInfo = {
    id: 'Fintech-C18-WeakListenerTlsPolicy',
    catalogId: 'C18',
    title: 'HTTPS and TLS listeners require TLS 1.2 or later',
    description: `TLS 1.0 and 1.1 are deprecated (RFC 8996) and not allowed for cardholder data by PCI DSS; an HTTPS listener created by CloudFormation or CDK without SslPolicy gets ${ELB_DEFAULT_SSL_POLICY}, which still accepts TLS 1.0. ` +
      'Judged on HTTPS and TLS listeners; one without SslPolicy fails. Not judged: policy names outside the known lists and families ' +
      '(a newer policy passes), intrinsic policies, the protocol to targets, Classic Load Balancers.',
    fix: 'Set sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS (ELBSecurityPolicy-TLS13-1-2-2021-06) or another TLS 1.2+ policy on the listener.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'ListenerTls';
  public readonly infos = [ListenerTls.HTTP_FORWARDS, ListenerTls.WEAK_POLICY];
  public readonly resourceTypes = [LISTENER, LISTENER_RULE];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (resource.type === LISTENER_RULE) return this.checkRule(resource);
    const properties = resource.properties;
    const protocol = typeof properties?.Protocol === 'string' ? properties.Protocol.toUpperCase() : undefined;
    if (!properties || !protocol) return [];
    if (protocol === 'HTTP') {
      const actions = properties.DefaultActions;
      if (!Array.isArray(actions) || !actions.some(forwards)) return [];
      return [findingOn(resource, ListenerTls.HTTP_FORWARDS.id,
        `${resource.type} ${resource.logicalId} listens on HTTP and forwards to targets instead of redirecting to HTTPS.`, ['Properties/DefaultActions'])];
    }
    if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
    const policy = properties.SslPolicy;
    if (policy === undefined) {
      return [findingOn(resource, ListenerTls.WEAK_POLICY.id,
        `${resource.type} ${resource.logicalId} (${protocol}) has no SslPolicy, so ELB applies ${ELB_DEFAULT_SSL_POLICY}, which allows TLS 1.0 and 1.1.`, ['Properties/SslPolicy'])];
    }
    if (typeof policy !== 'string' || isWeakElbPolicy(policy) !== true) return [];
    return [findingOn(resource, ListenerTls.WEAK_POLICY.id,
      `${resource.type} ${resource.logicalId} (${protocol}) uses SslPolicy ${policy}, which allows TLS versions below 1.2.`, ['Properties/SslPolicy'])];
  }

  /** A listener rule that forwards the requests of an HTTP listener serves them in clear text, whatever the default action does. */
  private checkRule(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    const actions = properties?.Actions;
    if (!properties || !Array.isArray(actions) || !actions.some(forwards)) return [];
    const listener = followedResource(resource.stack, properties.ListenerArn, LISTENER);
    const protocol = listener?.properties?.Protocol;
    if (typeof protocol !== 'string' || protocol.toUpperCase() !== 'HTTP') return [];
    return [findingOn(resource, ListenerTls.HTTP_FORWARDS.id,
      `${resource.type} ${resource.logicalId} forwards requests of HTTP listener ${listener!.logicalId} to targets, so they are served in clear text.`,
      ['Properties/Actions'])];
  }
}


/** Whether a listener action sends requests to targets (type forward, a target group, or a forward config). */
function forwards(action: unknown): boolean {
  if (!TemplateValue.isObject(action) || TemplateValue.isIntrinsic(action)) return false;
  return (typeof action.Type === 'string' && action.Type.toLowerCase() === 'forward') || action.TargetGroupArn !== undefined || action.ForwardConfig !== undefined;
}
