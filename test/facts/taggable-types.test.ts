import * as cdk from 'aws-cdk-lib';
import { App, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { TAGGABLE_TYPES } from '../../src/facts/taggable-types';

/** aws-cdk-lib's L1 class for a CloudFormation type, built with placeholders for its required properties. */
function l1Of(type: string, stack: Stack): CfnResource {
  const [, service, resource] = type.split('::');
  const l1 = (cdk as unknown as Record<string, Record<string, new (scope: Stack, id: string, props: object) => CfnResource>>)[`aws_${service.toLowerCase()}`][`Cfn${resource}`];
  const props: Record<string, unknown> = {};
  for (let attempt = 0; ; attempt++) {
    try {
      return new l1(stack, `R${stack.node.children.length}`, props);
    } catch (error) {
      // A missing property gets a string; one that must be something else gets a list, then an object.
      const missing = /missing required property: (\w+)/.exec(String(error))?.[1];
      const mistyped = /Property (\w+) should be/.exec(String(error))?.[1];
      if (missing) props[missing] = 'placeholder';
      else if (mistyped && !Array.isArray(props[mistyped])) props[mistyped] = [];
      else if (mistyped && Array.isArray(props[mistyped])) props[mistyped] = {};
      if ((!missing && !mistyped) || attempt > 20) throw error;
    }
  }
}

describe('TAGGABLE_TYPES', () => {
  test('matches how aws-cdk-lib\'s L1 class of each type takes tags', () => {
    const stack = new Stack(new App(), 'Shop');
    const types = Object.keys(TAGGABLE_TYPES);
    const actual = types.map(type => {
      const resource = l1Of(type, stack);
      const manager = TagManager.isTaggable(resource) || TagManager.isTaggableV2(resource) ? TagManager.of(resource) : undefined;
      const property = manager ? manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1) : 'untaggable';
      return `${type} ${property}`;
    });
    expect(actual).toEqual(types.map(type => `${type} ${TAGGABLE_TYPES[type].property}`));
  });
});
