import { followedId, followedResource } from '../events/deliveries';
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
  /** The `AWS::EC2::RouteTable`s a gateway endpoint is on; undefined when the list cannot be read or names a table outside the templates. */
  readonly routeTables?: readonly TemplateResource[];
  /** Whether it surely exists and its properties are literal (no condition synth cannot decide). */
  readonly certain: boolean;
}

/** The VPC endpoints of the templates validated together, by the VPC of the templates they are in. */
export interface VpcEndpointIndex {
  /** Endpoints by their `AWS::EC2::VPC`, whichever template declares the endpoint. */
  readonly byVpc: ReadonlyMap<TemplateResource, readonly IndexedEndpoint[]>;
  /** Whether some endpoint names its VPC in a way synth cannot resolve (it may be in any VPC of the templates). */
  readonly unplaced: boolean;
}

/**
 * The VPC endpoints of every template validated with `stack`, by VPC, computed once per validation: an endpoint of one
 * stack in a VPC of another (an import, a nested-stack parameter) is found under that VPC.
 */
export function vpcEndpointIndex(stack: StackTemplate): VpcEndpointIndex {
  return stack.peers.memo('network.vpc-endpoints', () => {
    const byVpc = new Map<TemplateResource, IndexedEndpoint[]>();
    let unplaced = false;
    for (const template of stack.peers.templates) {
      for (const resource of template.resourcesOfType('AWS::EC2::VPCEndpoint')) {
        const vpc = followedId(template, resource.properties?.VpcId);
        if (vpc.kind !== 'resource' || vpc.resource.type !== 'AWS::EC2::VPC') {
          // A literal id is a VPC outside the templates; anything else may be one of their VPCs.
          if (vpc.kind !== 'literal') unplaced = true;
          continue;
        }
        byVpc.set(vpc.resource, [...byVpc.get(vpc.resource) ?? [], indexEndpoint(resource)]);
      }
    }
    return { byVpc, unplaced };
  });
}

function indexEndpoint(resource: TemplateResource): IndexedEndpoint {
  const stack = resource.stack;
  const properties = resource.properties ?? {};
  const service = awsServiceName(stack, properties.ServiceName);
  const condition = resource.definition.Condition;
  const certain = resource.properties !== undefined && (condition === undefined || (typeof condition === 'string' && stack.conditionValue(condition) === true));
  const tables = properties.RouteTableIds;
  const routeTables = tables === undefined ? [] : Array.isArray(tables) ? tables.map(t => followedResource(stack, t, 'AWS::EC2::RouteTable')) : undefined;
  return {
    resource,
    ...(service !== undefined ? { service } : {}),
    ...withType(endpointType(properties.VpcEndpointType, service)),
    ...(routeTables !== undefined && routeTables.every(t => t !== undefined) ? { routeTables: routeTables as TemplateResource[] } : {}),
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
