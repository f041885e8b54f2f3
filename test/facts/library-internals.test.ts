import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { LIBRARY_INTERNALS, LibraryInternal } from '../../src/facts/library-internals';
import { libraryClassOf } from '../../src/rules/library-constructs';
import { deliveryPipeline } from '../rules/pipeline-harness';
import { quietSynth, testApp } from '../rules/rule-harness';

/** A CDK Pipelines app with assets and a second region, synthesized: every internal the list knows exists in it. */
function pipelineApp(): IConstruct {
  const app = testApp();
  deliveryPipeline(app, { drRegion: 'eu-central-1' });
  quietSynth(app);
  return app;
}

/** The constructs an entry names in the app: at its path below each library construct, or its support constructs. */
function constructsOf(app: IConstruct, internal: LibraryInternal): IConstruct[] {
  const all = app.node.findAll();
  const owners = all.filter(c => libraryClassOf(c) === internal.library);
  if (internal.support) {
    const { property, resource, className } = internal.support;
    return owners.flatMap(owner => Object.values((owner as any)[property] as Record<string, Record<string, IConstruct>>))
      .map(value => value[resource].node.scope!)
      .filter(scope => Object.getPrototypeOf(scope).constructor.name === className);
  }
  return owners.flatMap(owner => all.filter(c => c.node.path === `${owner.node.path}/${internal.path}`));
}

/** The actions the policies created below `scope` allow on Resource "*", sorted. */
function wildcardActionsBelow(scope: IConstruct): string[] {
  const stack = Stack.of(scope);
  const resources = Template.fromStack(stack).toJSON().Resources;
  const actions = new Set<string>();
  for (const policy of scope.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)) {
    for (const statement of resources[stack.getLogicalId(policy)].Properties.PolicyDocument.Statement) {
      if (statement.Resource === '*') for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return [...actions].sort();
}

describe('LIBRARY_INTERNALS', () => {
  test('every entry names constructs the library creates, in the aws-cdk-lib this package builds with', () => {
    const app = pipelineApp();
    for (const internal of LIBRARY_INTERNALS) {
      expect([internal.library, internal.path ?? internal.support!.className, constructsOf(app, internal).length]).toEqual([
        internal.library, internal.path ?? internal.support!.className, 1,
      ]);
    }
  });

  test('a role entry lists exactly the actions the library allows on "*" there, so a library that narrows them shows up', () => {
    const app = pipelineApp();
    for (const internal of LIBRARY_INTERNALS.filter(i => i.wildcardActions)) {
      const [role] = constructsOf(app, internal);
      expect([internal.path, wildcardActionsBelow(role)]).toEqual([internal.path, [...internal.wildcardActions!].sort()]);
    }
  });

  test('each entry is at a path or a support construct, once, and says how the app can choose otherwise', () => {
    const keys = LIBRARY_INTERNALS.map(i => `${i.library} ${i.path ?? i.support?.className}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const internal of LIBRARY_INTERNALS) {
      expect((internal.path === undefined) !== (internal.support === undefined)).toBe(true);
      expect(internal.support && internal.wildcardActions).toBeFalsy();
      expect(internal.how.length).toBeGreaterThan(20);
    }
  });
});
