import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgedRules } from '../../src/rules/acknowledgements';

function tree() {
  const app = new App();
  const stack = new Stack(app, 'Shop');
  const orders = new s3.Bucket(stack, 'Orders');
  const archive = new s3.Bucket(stack, 'Archive');
  return { app, stack, orders, archive };
}

describe('acknowledgedRules', () => {
  test('reads a bare id (stored by CDK as annotation::<id>) on the construct and its parents, not its siblings', () => {
    const { stack, orders, archive } = tree();
    Validations.of(orders).acknowledge({ id: 'Fintech-C02-EphemeralRetainsData', reason: 'kept for the demo' });
    expect(orders.node.metadata.find(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)?.data)
      .toEqual({ 'annotation::Fintech-C02-EphemeralRetainsData': 'kept for the demo' });
    expect(acknowledgedRules(orders.node.defaultChild!)).toEqual(new Map([['Fintech-C02-EphemeralRetainsData', 'kept for the demo']]));
    expect(acknowledgedRules(archive.node.defaultChild!).size).toBe(0);
    expect(acknowledgedRules(stack).size).toBe(0);
  });

  test('the closest acknowledgement wins and all acknowledged ids are kept', () => {
    const { stack, orders } = tree();
    Validations.of(stack).acknowledge({ id: 'Fintech-C01-RequiredTags', reason: 'stack-wide' }, { id: 'Fintech-C02-DurableDeletesData', reason: 'stack' });
    Validations.of(orders).acknowledge({ id: 'Fintech-C01-RequiredTags', reason: 'bucket' });
    expect(acknowledgedRules(orders.node.defaultChild!)).toEqual(new Map([
      ['Fintech-C01-RequiredTags', 'bucket'],
      ['Fintech-C02-DurableDeletesData', 'stack'],
    ]));
  });

  test('strips the Annotation:: prefix of newer CDK versions and the plugin-qualified form', () => {
    const { orders } = tree();
    Validations.of(orders).acknowledge({ id: 'Annotation::Fintech-C01-RequiredTags', reason: 'a' }, { id: 'FintechChecks::Fintech-C02-DurableDeletesData', reason: 'b' });
    expect([...acknowledgedRules(orders).keys()].sort()).toEqual(['Fintech-C01-RequiredTags', 'Fintech-C02-DurableDeletesData']);
  });

  test('ignores other metadata', () => {
    const { orders } = tree();
    orders.node.addMetadata('custom', { 'annotation::Fintech-C01-RequiredTags': 'not an acknowledgement' });
    expect(acknowledgedRules(orders).size).toBe(0);
  });
});
