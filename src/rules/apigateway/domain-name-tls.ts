import { WEAK_API_GATEWAY_SECURITY_POLICIES } from '../../facts/tls-policies';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C18: API Gateway custom domain names (REST `AWS::ApiGateway::DomainName`, private `AWS::ApiGateway::DomainNameV2` and
 * HTTP/WebSocket `AWS::ApiGatewayV2::DomainName`) and REST APIs' own endpoints (`AWS::ApiGateway::RestApi`) do not use the
 * TLS 1.0 security policy. An absent SecurityPolicy is not judged: CDK documents TLS_1_2 as the default for domain names,
 * and a REST API's endpoint without one keeps API Gateway's default, which the template does not show. The enhanced
 * (SecurityPolicy_*) policies start at TLS 1.2.
 */
export class DomainNameTls implements FintechRule {
  /** Metadata of `Fintech-C18-WeakApiTlsPolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-WeakApiTlsPolicy',
    catalogId: 'C18',
    title: 'API custom domains and endpoints require TLS 1.2 or later',
    description: 'The TLS_1_0 security policy lets clients negotiate TLS 1.0 and 1.1, which are deprecated (RFC 8996) and not allowed for cardholder data by PCI DSS. ' +
      'Judged on REST (AWS::ApiGateway::DomainName), private REST (AWS::ApiGateway::DomainNameV2) and HTTP or WebSocket ' +
      '(AWS::ApiGatewayV2::DomainName) custom domain names, and on the SecurityPolicy of a REST API\'s own execute-api endpoint (AWS::ApiGateway::RestApi). ' +
      'Not judged: a SecurityPolicy left unset (CDK documents TLS_1_2 as its default for domain names; a REST API\'s endpoint keeps ' +
      'API Gateway\'s default, which the template does not show), policy names other than TLS_1_0 ' +
      '(the enhanced SecurityPolicy_* policies start at TLS 1.2), intrinsic policies.',
    fix: 'Set securityPolicy: apigateway.SecurityPolicy.TLS_1_2 (or a SecurityPolicy.TLS13_* policy) on the apigateway.DomainName; on a CfnRestApi or CfnDomainNameV2, set SecurityPolicy TLS_1_2 or an enhanced SecurityPolicy_* policy.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'DomainNameTls';
  public readonly infos = [DomainNameTls.INFO];
  public readonly resourceTypes = ['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::DomainNameV2', 'AWS::ApiGatewayV2::DomainName', 'AWS::ApiGateway::RestApi'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const policies: Array<{ policy: unknown; location: string }> = [{ policy: properties.SecurityPolicy, location: 'Properties/SecurityPolicy' }];
    const configurations = properties.DomainNameConfigurations;
    if (Array.isArray(configurations)) {
      configurations.forEach((configuration, i) => {
        if (TemplateValue.isObject(configuration)) policies.push({ policy: configuration.SecurityPolicy, location: `Properties/DomainNameConfigurations/${i}/SecurityPolicy` });
      });
    }
    const weak = policies.filter(({ policy }) => typeof policy === 'string' && WEAK_API_GATEWAY_SECURITY_POLICIES.includes(policy.toUpperCase()));
    if (weak.length === 0) return [];
    return [findingOn(resource, DomainNameTls.INFO.id,
      `${resource.type} ${resource.logicalId} uses SecurityPolicy ${String(weak[0].policy)}, which allows TLS 1.0 and 1.1.`, weak.map(w => w.location))];
  }
}
