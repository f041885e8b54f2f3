import * as cdk from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { UNIQUE_NAMES } from '../../../src/rules/naming/unique-names';

type L1 = new (scope: Stack, id: string, props: object) => cdk.CfnResource;

/** aws-cdk-lib's L1 class for a CloudFormation type (`AWS::Kinesis::Stream` -> aws-kinesis CfnStream). */
function l1Class(type: string): L1 | undefined {
  const [, service, resource] = type.split('::');
  return (cdk as unknown as Record<string, Record<string, any> | undefined>)[`aws_${service.toLowerCase()}`]?.[`Cfn${resource}`];
}

describe('UNIQUE_NAMES', () => {
  test('names CloudFormation types aws-cdk-lib knows, each with its name property', () => {
    for (const [type, unique] of Object.entries(UNIQUE_NAMES)) {
      const Class = l1Class(type) as (L1 & { CFN_RESOURCE_TYPE_NAME?: string }) | undefined;
      expect([type, Class?.CFN_RESOURCE_TYPE_NAME]).toEqual([type, type]);
      const props: Record<string, unknown> = {};
      const stack = new Stack();
      let resource: cdk.CfnResource | undefined;
      while (!resource) {
        try {
          resource = new Class!(stack, `R${stack.node.children.length}`, props);
        } catch (error) {
          // Fill each required property with a placeholder of a type the L1 accepts.
          const missing = /missing required property: (\w+)/.exec(String(error))?.[1];
          const wantsString = /Property (\w+) should be one of .*string/.exec(String(error))?.[1];
          if (missing) props[missing] = [];
          else if (wantsString) props[wantsString] = 'placeholder';
          else throw error;
        }
      }
      // One of the L1's props is written under exactly this property name.
      const written = Object.values((resource as unknown as { cfnPropertyNames: Record<string, string> }).cfnPropertyNames);
      expect([type, written]).toEqual([type, expect.arrayContaining([unique!.property])]);
    }
  });

  test('scopes bucket names to the partition and IAM names to the account', () => {
    expect(UNIQUE_NAMES['AWS::S3::Bucket']!.scope).toBe('partition');
    expect(Object.entries(UNIQUE_NAMES).filter(([, unique]) => unique!.scope === 'account').map(([type]) => type)).toEqual(['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']);
  });
});
