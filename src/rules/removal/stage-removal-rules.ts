import { STATEFUL_RESOURCE_TYPES } from '../../stage/stateful-resources';
import { Rule, RuleFinding } from '../rule';
import { RuleSeverity } from '../rule-info';
import { IndexedStack } from '../template-index';

const RETAINING = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

function statefulResources(stack: IndexedStack) {
  return Object.keys(STATEFUL_RESOURCE_TYPES).flatMap(type => stack.ofType(type).map(resource => ({ resource, spec: STATEFUL_RESOURCE_TYPES[type] })));
}

/** C02, ephemeral stages: nothing may be left behind when the stack is deleted. */
export const EPHEMERAL_RETAINS_DATA: Rule = {
  info: {
    id: 'Fintech-C02-EphemeralRetainsData',
    catalogId: 'C02',
    title: 'Ephemeral stages leave no data behind',
    description: 'A retained or snapshotted resource in a dev or preview stage outlives its stack, costs money and blocks the next deployment with a name collision.',
    fix: 'Use RemovalPolicy.DESTROY (FintechStage does this for every stateful resource) or mark the stage durable.',
    severity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  },
  check(stack, context) {
    if (context.durable) return [];
    return statefulResources(stack)
      .filter(({ resource }) => RETAINING.has(resource.template.DeletionPolicy))
      .map(({ resource }) => ({
        resource,
        message: `${resource.type} ${resource.logicalId} has DeletionPolicy ${resource.template.DeletionPolicy} in ephemeral stage "${context.stageName}", so deleting the stack leaves it behind.`,
        locations: ['DeletionPolicy'],
      }));
  },
};

/** C02, ephemeral stages: a bucket must be emptied before CloudFormation can delete it. */
export const BUCKET_NOT_EMPTIED: Rule = {
  info: {
    id: 'Fintech-C02-BucketNotEmptiedOnDelete',
    catalogId: 'C02',
    title: 'Ephemeral buckets are emptied when their stack is deleted',
    description: 'CloudFormation cannot delete a bucket that holds objects, so stack deletion fails and the stage cannot be torn down.',
    fix: 'Use an s3.Bucket with autoDeleteObjects: true (FintechStage turns it on in ephemeral stages).',
    severity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  },
  check(stack, context) {
    if (context.durable) return [];
    const emptied = new Set(stack.ofType('Custom::S3AutoDeleteObjects').map(r => IndexedStack.referencedId(r.properties.BucketName)));
    return stack.ofType('AWS::S3::Bucket')
      .filter(bucket => !RETAINING.has(bucket.template.DeletionPolicy) && !emptied.has(bucket.logicalId))
      .map(bucket => ({
        resource: bucket,
        message: `Bucket ${bucket.logicalId} is deleted with ephemeral stage "${context.stageName}" but nothing empties it first; the deletion fails while it holds objects.`,
        locations: ['DeletionPolicy'],
      }));
  },
};

/** C02, durable stages: deleting a stack must never delete data. */
export const DURABLE_DELETES_DATA: Rule = {
  info: {
    id: 'Fintech-C02-DurableDeletesData',
    catalogId: 'C02',
    title: 'Durable stages retain or snapshot stateful resources',
    description: 'Without DeletionPolicy and UpdateReplacePolicy Retain (or Snapshot), deleting or replacing a resource in staging or prod deletes its data; CloudFormation defaults to Delete.',
    fix: 'Use RemovalPolicy.RETAIN (SNAPSHOT for databases); FintechStage does this in durable stages.',
    severity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  },
  check(stack, context) {
    if (!context.durable) return [];
    const findings: RuleFinding[] = [];
    for (const { resource } of statefulResources(stack)) {
      const problems = (['DeletionPolicy', 'UpdateReplacePolicy'] as const)
        .filter(policy => resource.template[policy] === undefined || resource.template[policy] === 'Delete')
        .map(policy => `${policy} ${resource.template[policy] ?? 'missing (CloudFormation deletes)'}`);
      if (problems.length > 0) {
        findings.push({
          resource,
          message: `${resource.type} ${resource.logicalId} in durable stage "${context.stageName}" has ${problems.join(' and ')}, so its data is lost when the stack is deleted or the resource replaced.`,
          locations: problems.map(p => p.split(' ')[0]),
        });
      }
    }
    return findings;
  },
};

/** C02, durable stages: databases and tables refuse deletion even through their own APIs. */
export const DELETION_PROTECTION_OFF: Rule = {
  info: {
    id: 'Fintech-C02-DeletionProtectionOff',
    catalogId: 'C02',
    title: 'Durable stages turn on deletion protection',
    description: 'A retain policy protects against stack deletion only; deletion protection also stops a console click or API call from deleting a production table, database or user pool.',
    fix: 'Turn on deletion protection (FintechStage does this in durable stages), e.g. deletionProtection: true on a dynamodb.Table.',
    severity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  },
  check(stack, context) {
    if (!context.durable) return [];
    return statefulResources(stack)
      .filter(({ spec, resource }) => spec.deletionProtection && resource.properties[spec.deletionProtection.property] !== spec.deletionProtection.on)
      .filter(({ spec, resource }) => !isIntrinsic(resource.properties[spec.deletionProtection!.property]))
      .map(({ spec, resource }) => ({
        resource,
        message: `${resource.type} ${resource.logicalId} in durable stage "${context.stageName}" has ${spec.deletionProtection!.property} ${JSON.stringify(resource.properties[spec.deletionProtection!.property] ?? 'unset')}.`,
        locations: [`Properties/${spec.deletionProtection!.property}`],
      }));
  },
};

function isIntrinsic(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).some(k => k === 'Ref' || k.startsWith('Fn::'));
}
