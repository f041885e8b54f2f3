import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { CLOUDFRONT_DEFAULT_SECURITY_POLICY, CURRENT_CLOUDFRONT_SECURITY_POLICIES, WEAK_CLOUDFRONT_SECURITY_POLICIES, isWeakCloudFrontPolicy } from '../../src/facts/cloudfront-security-policies';

describe('CloudFront security policies', () => {
  test('every policy aws-cdk-lib offers is judged, and the lists do not overlap', () => {
    for (const policy of Object.values(cloudfront.SecurityPolicyProtocol)) {
      expect([policy, isWeakCloudFrontPolicy(policy)]).toEqual([policy, expect.any(Boolean)]);
    }
    expect(WEAK_CLOUDFRONT_SECURITY_POLICIES.filter(p => CURRENT_CLOUDFRONT_SECURITY_POLICIES.includes(p))).toEqual([]);
  });

  test('TLSv1.2_2021 and newer are current; the 2019 policy and below, and the default with a certificate, are weak', () => {
    expect(isWeakCloudFrontPolicy('TLSv1.2_2021')).toBe(false);
    expect(isWeakCloudFrontPolicy('TLSv1.3_2025')).toBe(false);
    expect(isWeakCloudFrontPolicy('TLSv1.2_2019')).toBe(true);
    expect(isWeakCloudFrontPolicy(CLOUDFRONT_DEFAULT_SECURITY_POLICY)).toBe(true);
  });

  test('an unknown name is not judged', () => {
    expect(isWeakCloudFrontPolicy('TLSv1.4_2030')).toBeUndefined();
  });
});
