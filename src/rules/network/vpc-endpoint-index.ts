import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// The region part of a service name written with the AWS::Region pseudo parameter, as CDK writes it.
const REGION = '\u0000region\u0000';
// `com.amazonaws.<region>.<name>` (`cn.com.amazonaws.` in China); `<name>` may hold dots, e.g. `ecr.api`.
const AWS_SERVICE_NAME = /^(?:cn\.)?com\.amazonaws\.(?:[a-z0-9-]+|\u0000region\u0000)\.([a-z0-9.-]+)$/;

/** One `AWS::EC2::VPCEndpoint` of a template, as far as synth can read it. */
export interface IndexedEndpoint {
  /** The endpoint resource. */
  readonly resource: TemplateResource;
  /**
   * The AWS service it reaches, the `<name>` of `com.amazonaws.<region>.<name>` (e.g. `sqs`, `s3`, `ecr.api`); undefined
   * when the service name is not a literal AWS one (an intrinsic, or a PrivateLink service such as `com.amazonaws.vpce.*`).
   */
  readonly service?: string;
  /** `gateway`, `interface`, another type in lower case, or undefined when synth cannot tell. */
  readonly type?: string;
  /** Logical ids of the route tables a gateway endpoint is on; undefined when the list cannot be read. */
  readonly routeTables?: readonly string[];
  /** Whether it surely exists and its properties are literal (no condition synth cannot decide). */
  readonly certain: boolean;
}

/** The VPC endpoints of one template, by the VPC of the template they are in. */
export interface VpcEndpointIndex {
  /** Endpoints by the logical id of their `AWS::EC2::VPC`. */
  readonly byVpc: ReadonlyMap<string, readonly IndexedEndpoint[]>;
  /** Whether some endpoint names its VPC in a way synth cannot resolve (it may be in any VPC of the template). */
  readonly unplaced: boolean;
}

/** The template's VPC endpoints by VPC, computed once per template. */
export function vpcEndpointIndex(stack: StackTemplate): VpcEndpointIndex {
  return stack.memo('network.vpc-endpoints', () => {
    const byVpc = new Map<string, IndexedEndpoint[]>();
    let unplaced = false;
    for (const resource of stack.resourcesOfType('AWS::EC2::VPCEndpoint')) {
      const vpcId = resource.properties?.VpcId;
      const vpc = TemplateValue.referencedId(vpcId);
      if (vpc === undefined) {
        // A literal id is a VPC outside the template; anything else may be one of its VPCs.
        if (typeof vpcId !== 'string') unplaced = true;
        continue;
      }
      byVpc.set(vpc, [...byVpc.get(vpc) ?? [], indexEndpoint(stack, resource)]);
    }
    return { byVpc, unplaced };
  });
}

function indexEndpoint(stack: StackTemplate, resource: TemplateResource): IndexedEndpoint {
  const properties = resource.properties ?? {};
  const service = awsServiceName(stack, properties.ServiceName);
  const condition = resource.definition.Condition;
  const certain = resource.properties !== undefined && (condition === undefined || (typeof condition === 'string' && stack.conditionValue(condition) === true));
  const tables = properties.RouteTableIds;
  const routeTables = tables === undefined ? [] : Array.isArray(tables) ? tables.map(t => TemplateValue.referencedId(t)) : undefined;
  return {
    resource,
    ...(service !== undefined ? { service } : {}),
    ...withType(endpointType(properties.VpcEndpointType, service)),
    ...(routeTables !== undefined && routeTables.every(t => t !== undefined) ? { routeTables: routeTables as string[] } : {}),
    certain,
  };
}

function withType(type: string | undefined): { type?: string } {
  return type === undefined ? {} : { type };
}

/**
 * The type of an endpoint: `VpcEndpointType` in lower case, or, when it is absent, CloudFormation's default `Gateway`
 * for S3 and DynamoDB (the only services offering it); undefined when synth cannot tell.
 */
export function endpointType(type: unknown, service: string | undefined): string | undefined {
  if (typeof type === 'string') return type.toLowerCase();
  if (type !== undefined) return undefined;
  return service === 's3' || service === 'dynamodb' ? 'gateway' : undefined;
}

/**
 * The `<name>` of an AWS service name `com.amazonaws.<region>.<name>` written as a literal, or as `Fn::Join` /
 * `Fn::Sub` of literals and `AWS::Region`; undefined for anything else (other intrinsics, PrivateLink services).
 */
export function awsServiceName(stack: StackTemplate, value: unknown): string | undefined {
  const parts = TemplateValue.stringParts(value, stack);
  if (parts === undefined) return undefined;
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (TemplateValue.refTarget(part) === 'AWS::Region') text += REGION;
    else return undefined;
  }
  const name = AWS_SERVICE_NAME.exec(text)?.[1];
  return name === undefined || name.includes('vpce-svc') ? undefined : name;
}
