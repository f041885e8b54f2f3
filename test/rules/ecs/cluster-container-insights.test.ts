import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClusterContainerInsights } from '../../../src/rules/ecs/cluster-container-insights';
import { findingsOf, lines, shop } from '../rule-harness';

const C21 = ClusterContainerInsights.INFO.id;

function c21(app: App) {
  return findingsOf(app, [C21]);
}

describe('Fintech-C21-ClusterWithoutContainerInsights', () => {
  test('warns on an L2 cluster without Container Insights and passes enabled and enhanced ones', () => {
    const { app, stack } = shop();
    new ecs.Cluster(stack, 'Plain');
    new ecs.Cluster(stack, 'Enabled', { containerInsightsV2: ecs.ContainerInsights.ENABLED });
    new ecs.Cluster(stack, 'Enhanced', { containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    new ecs.Cluster(stack, 'Disabled', { containerInsightsV2: ecs.ContainerInsights.DISABLED });
    const findings = c21(app);
    expect(lines(findings)).toEqual([`${C21} Shop/Disabled/Resource`, `${C21} Shop/Plain/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Plain/Resource')).toMatchObject({
      severity: 'warning',
      locations: ['Properties/ClusterSettings'],
      message: expect.stringMatching(/^AWS::ECS::Cluster Plain[0-9A-F]{8} has no containerInsights cluster setting, so Container Insights collects no task metrics\.$/),
    });
    expect(findings.find(f => f.constructPath === 'Shop/Disabled/Resource')!.message).toContain('sets containerInsights to "disabled"');
  });

  test('judges L1 clusters and escape hatches', () => {
    const { app, stack } = shop();
    new ecs.CfnCluster(stack, 'Raw');
    new ecs.CfnCluster(stack, 'RawEnabled', { clusterSettings: [{ name: 'containerInsights', value: 'enabled' }] });
    const patched = new ecs.Cluster(stack, 'Patched', { containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    (patched.node.defaultChild as ecs.CfnCluster).addPropertyDeletionOverride('ClusterSettings');
    expect(lines(c21(app))).toEqual([`${C21} Shop/Patched/Resource`, `${C21} Shop/Raw`]);
  });

  test('treats intrinsic settings as unknown and does not crash on odd shapes', () => {
    const { app, stack } = shop();
    new ecs.CfnCluster(stack, 'IfSettings').addPropertyOverride('ClusterSettings', { 'Fn::If': ['C', [], []] });
    new ecs.CfnCluster(stack, 'IfSetting').addPropertyOverride('ClusterSettings', [{ 'Fn::If': ['C', {}, {}] }]);
    new ecs.CfnCluster(stack, 'IfValue', { clusterSettings: [{ name: 'containerInsights', value: 'enabled' }] }).addPropertyOverride('ClusterSettings.0.Value', { Ref: 'Insights' });
    new ecs.CfnCluster(stack, 'IfProperties').addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    // A setting whose name is a parameter may be containerInsights.
    new ecs.CfnCluster(stack, 'IfName', { clusterSettings: [{ name: 'containerInsights', value: 'enabled' }] }).addPropertyOverride('ClusterSettings.0.Name', { Ref: 'SettingName' });
    expect(c21(app)).toEqual([]);
  });
});
