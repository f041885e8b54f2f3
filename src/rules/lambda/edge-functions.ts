import { followedResource } from '../events/deliveries';
import { literalStrings, documentStatements } from '../iam/policy-statements';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// The service that replicates a Lambda@Edge function to CloudFront's edge locations: the function's execution role
// must trust it (CloudFront Developer Guide, "Restrictions on Lambda@Edge", Lambda role permissions, checked 2026-12).
const EDGE_LAMBDA_PRINCIPAL = 'edgelambda.amazonaws.com';

/**
 * Whether a function is a Lambda@Edge function: its execution role (followed across stacks) trusts
 * `edgelambda.amazonaws.com`, which CloudFront requires of every function it runs at the edge and
 * `cloudfront.experimental.EdgeFunction` sets. Lambda@Edge supports neither X-Ray tracing nor a log group of the
 * function's choosing (it logs to `/aws/lambda/us-east-1.<name>` in each region that serves it), and its errors are
 * watched through the distribution's metrics, so the rules about those leave it alone.
 */
export function isEdgeFunction(resource: TemplateResource): boolean {
  if (resource.type !== 'AWS::Lambda::Function') return false;
  const role = followedResource(resource.stack, resource.properties?.Role, 'AWS::IAM::Role');
  if (!role) return false;
  return role.stack.memo(`edge-functions.${role.logicalId}`, () => documentStatements(role.properties?.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument')
    .some(({ statement }) => statement.Effect === 'Allow' && TemplateValue.isObject(statement.Principal)
      && literalStrings(statement.Principal.Service).some(service => service.toLowerCase() === EDGE_LAMBDA_PRINCIPAL)));
}
