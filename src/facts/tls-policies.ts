// Facts about the TLS security policies of Elastic Load Balancing and API Gateway, used by the C18 rules.
// Sources, read 2026-11: ELB user guides, "Security policies for your Application Load Balancer"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html) and
// "Security policies for your Network Load Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html);
// API Gateway developer guide, "Choose a security policy for your custom domain"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html); aws-cdk-lib 2.257 apigateway.SecurityPolicy.

/**
 * Policy ELB applies to an HTTPS or TLS listener created without SslPolicy through the API,
 * CloudFormation or CDK (the console's default is a TLS 1.3 policy). It allows TLS 1.0, so a listener
 * without SslPolicy is judged weak.
 */
export const ELB_DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

/** ELB security policies that allow TLS 1.0 or 1.1 (every `ELBSecurityPolicy-<year>-<month>` policy does too). */
export const WEAK_ELB_SSL_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-2015-05',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-0-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09',
];

/** ELB security policies with TLS 1.2 or 1.3 as the lowest version (the Ext, FIPS and PQ variants of the TLS13-1-2/1-3 families are too). */
export const TLS12_ELB_SSL_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
];

/**
 * The TLS policy the library's load balancer listeners use (`FargateWebService`): TLS 1.3 and 1.2 with forward-secret
 * AEAD ciphers only, the policy AWS recommends for new listeners (ELB user guide, "Security policies", read 2026-11).
 * Kept here, dated, beside the lists the rules judge by; move it only to a policy of `TLS12_ELB_SSL_POLICIES`.
 */
export const RECOMMENDED_ELB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The viewer security policy the library's CloudFront distributions use (`SecureDistribution`): TLS 1.2 minimum with
 * the 2021 cipher list, which every current browser and HTTP client supports (CloudFront developer guide, "Supported
 * protocols and ciphers between viewers and CloudFront", read 2026-11). Must stay in
 * `CURRENT_CLOUDFRONT_SECURITY_POLICIES` of cloudfront-security-policies.ts.
 */
export const RECOMMENDED_CLOUDFRONT_SECURITY_POLICY = 'TLSv1.2_2021';

/** When the recommended policies above were last checked against the AWS documentation. */
export const TLS_POLICIES_CHECKED = '2026-11';

/** API Gateway custom domain security policies that allow TLS 1.0 (the enhanced `SecurityPolicy_TLS13_*` policies start at 1.2). */
export const WEAK_API_GATEWAY_SECURITY_POLICIES: readonly string[] = ['TLS_1_0'];

// Families by the minimum version in their names: the dated originals and TLS13-1-0/1-1 allow TLS 1.0/1.1; TLS13-1-2/1-3, TLS-1-2 and FS-1-2 do not.
const WEAK_ELB_FAMILIES = [/^ELBSecurityPolicy-\d{4}-\d{2}$/, /^ELBSecurityPolicy-TLS13-1-[01]-/];
const TLS12_ELB_FAMILIES = [/^ELBSecurityPolicy-TLS13-1-[23]-/, /^ELBSecurityPolicy-(TLS|FS)-1-2-/];

/** Whether an ELB policy allows TLS below 1.2; undefined for a name outside the lists and families (unknown, not judged). */
export function isWeakElbPolicy(name: string): boolean | undefined {
  if (WEAK_ELB_SSL_POLICIES.includes(name) || WEAK_ELB_FAMILIES.some(family => family.test(name))) return true;
  if (TLS12_ELB_SSL_POLICIES.includes(name) || TLS12_ELB_FAMILIES.some(family => family.test(name))) return false;
  return undefined;
}
