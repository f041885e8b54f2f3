import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { isWeakCloudFrontPolicy } from '../../src/facts/cloudfront-security-policies';
import {
  ELB_DEFAULT_SSL_POLICY, RECOMMENDED_CLOUDFRONT_SECURITY_POLICY, RECOMMENDED_ELB_SSL_POLICY, TLS12_ELB_SSL_POLICIES, TLS_POLICIES_CHECKED,
  WEAK_ELB_SSL_POLICIES, isWeakElbPolicy,
} from '../../src/facts/tls-policies';

describe('TLS policies', () => {
  test('judges the ELB default, every weak policy and every TLS 1.2+ policy', () => {
    expect(isWeakElbPolicy(ELB_DEFAULT_SSL_POLICY)).toBe(true);
    for (const policy of WEAK_ELB_SSL_POLICIES) expect(isWeakElbPolicy(policy)).toBe(true);
    for (const policy of TLS12_ELB_SSL_POLICIES) expect(isWeakElbPolicy(policy)).toBe(false);
    expect(WEAK_ELB_SSL_POLICIES.filter(policy => TLS12_ELB_SSL_POLICIES.includes(policy))).toEqual([]);
  });

  test('knows the policies of the weak families without listing them, and leaves unknown names undecided', () => {
    expect(isWeakElbPolicy('ELBSecurityPolicy-2014-01')).toBe(true);
    expect(isWeakElbPolicy('ELBSecurityPolicy-TLS13-1-1-Res-2030-01')).toBe(true);
    expect(isWeakElbPolicy('ELBSecurityPolicy-TLS13-1-2-Ext3-PQ-2031-01')).toBe(false);
    expect(isWeakElbPolicy('ELBSecurityPolicy-TLS14-1-3-2031-01')).toBeUndefined();
  });

  test("classifies every policy of aws-cdk-lib's SslPolicy enum", () => {
    const cdkPolicies = Object.values(elbv2.SslPolicy) as string[];
    expect(cdkPolicies.filter(policy => isWeakElbPolicy(policy) === undefined)).toEqual([]);
    expect(isWeakElbPolicy(elbv2.SslPolicy.RECOMMENDED_TLS)).toBe(false);
    expect(isWeakElbPolicy(elbv2.SslPolicy.RECOMMENDED)).toBe(true);
  });

  test('recommends policies the rules judge TLS 1.2+, checked on a dated day', () => {
    expect(isWeakElbPolicy(RECOMMENDED_ELB_SSL_POLICY)).toBe(false);
    expect(isWeakCloudFrontPolicy(RECOMMENDED_CLOUDFRONT_SECURITY_POLICY)).toBe(false);
    expect(TLS_POLICIES_CHECKED).toMatch(/^\d{4}-\d{2}$/);
  });
});
