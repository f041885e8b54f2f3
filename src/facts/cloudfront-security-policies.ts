// Security policies of CloudFront viewer connections, used by the C18 rules.
// Source, read 2026-11: CloudFront developer guide, "Supported protocols and ciphers between viewers and CloudFront"
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html)
// and the CloudFormation reference of AWS::CloudFront::Distribution ViewerCertificate.MinimumProtocolVersion.

/**
 * Policy CloudFront applies to a distribution with a custom certificate (ACM or IAM) and no MinimumProtocolVersion.
 * With the default `*.cloudfront.net` certificate CloudFront always uses TLSv1 and ignores the setting.
 */
export const CLOUDFRONT_DEFAULT_SECURITY_POLICY = 'TLSv1';

/**
 * Security policies below TLSv1.2_2021: SSLv3, TLS 1.0 or 1.1 allowed, or (TLSv1.2_2018, TLSv1.2_2019) TLS 1.2 with CBC
 * and SHA-1 cipher suites that TLSv1.2_2021 dropped.
 */
export const WEAK_CLOUDFRONT_SECURITY_POLICIES: readonly string[] = [
  'SSLv3',
  'TLSv1',
  'TLSv1_2016',
  'TLSv1.1_2016',
  'TLSv1.2_2018',
  'TLSv1.2_2019',
];

/** Security policies with TLS 1.2 or 1.3 as the lowest version and only current ciphers (TLSv1.2_2021 and newer). */
export const CURRENT_CLOUDFRONT_SECURITY_POLICIES: readonly string[] = [
  'TLSv1.2_2021',
  'TLSv1.2_2025',
  'TLSv1.3_2025',
];

/** Whether a policy is below TLSv1.2_2021; undefined for a name in neither list (unknown, not judged). */
export function isWeakCloudFrontPolicy(name: string): boolean | undefined {
  if (WEAK_CLOUDFRONT_SECURITY_POLICIES.includes(name)) return true;
  if (CURRENT_CLOUDFRONT_SECURITY_POLICIES.includes(name)) return false;
  return undefined;
}
