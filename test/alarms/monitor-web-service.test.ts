import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { monitorWebService, tasksBelowDesired } from '../../src/alarms/monitor-web-service';
import { stackIn, testApp } from '../support/fintech-fixture';

// A plain ALB, target group and Fargate service, so the wiring is judged apart from FargateWebService.
function webService(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'), portMappings: [{ containerPort: 80 }] });
  const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const listener = loadBalancer.addListener('Http', { port: 80, open: false });
  const targetGroup = listener.addTargets('Tasks', { port: 80, targets: [service] });
  return { loadBalancer, targetGroup, service };
}

function alarmOf(template: Template, path: string): any {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith(path));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

describe('monitorWebService', () => {
  test('five alarms, each with a description and alarm and OK actions on the stage\'s alert topic', () => {
    const stack = stackIn(testApp(), 'dev');
    const alarms = monitorWebService(stack, webService(stack));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmDescription).toMatch(/Check/);
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
    expect(alarms.targetErrors.thresholdPercent).toBe(1);
    expect(alarms.loadBalancerErrors.thresholdPercent).toBe(1);
  });

  test('target 5XX rate: HTTPCode_Target_5XX_Count over RequestCount with the traffic guard', () => {
    const stack = stackIn(testApp(), 'dev');
    monitorWebService(stack, webService(stack));
    const alarm = alarmOf(Template.fromStack(stack), 'TargetErrorRate');
    expect(alarm.Metrics[0].Expression).toBe('IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)');
    expect(alarm.Metrics.map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort()).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(alarm.Threshold).toBe(1);
  });

  test('load balancer 5XX rate counts the 503s of requests no target was chosen for in the requests', () => {
    const stack = stackIn(testApp(), 'dev');
    monitorWebService(stack, webService(stack), { loadBalancerErrorRatePercent: 5, minimumRequests: 20 });
    const alarm = alarmOf(Template.fromStack(stack), 'LoadBalancerErrorRate');
    const expressions = alarm.Metrics.filter((m: any) => m.Expression).map((m: any) => m.Expression);
    expect(expressions).toEqual(expect.arrayContaining([
      'IF(FILL(requests, 0) >= 20, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      'FILL(counted, 0) + FILL(elb5xx, 0)',
    ]));
    expect(alarm.Metrics.map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort())
      .toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_ELB_5XX_Count', 'RequestCount']);
    expect(alarm.Threshold).toBe(5);
  });

  test('p99 target response time in seconds, unhealthy targets of the target group', () => {
    const stack = stackIn(testApp(), 'dev');
    const watched = webService(stack);
    monitorWebService(stack, watched, { p99ResponseTime: Duration.millis(1500) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 1.5,
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: Match.arrayWith([{ Name: 'TargetGroup', Value: stack.resolve(watched.targetGroup.targetGroupFullName) }]),
      DatapointsToAlarm: 2,
      EvaluationPeriods: 3,
    });
  });

  test('running tasks below desired: Container Insights counts of the service, gap of a whole task', () => {
    const stack = stackIn(testApp(), 'dev');
    const watched = webService(stack);
    monitorWebService(stack, watched);
    const alarm = alarmOf(Template.fromStack(stack), 'TasksBelowDesiredAlarm');
    expect(alarm.Threshold).toBe(1);
    expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(desired, 0) - FILL(running, 0)');
    const dimensions = [
      { Name: 'ClusterName', Value: stack.resolve(watched.service.cluster.clusterName) },
      { Name: 'ServiceName', Value: stack.resolve(watched.service.serviceName) },
    ];
    for (const name of ['DesiredTaskCount', 'RunningTaskCount']) {
      const metric = alarm.Metrics.find((m: any) => m.MetricStat?.Metric.MetricName === name).MetricStat;
      expect(metric.Metric.Namespace).toBe('ECS/ContainerInsights');
      expect(metric.Metric.Dimensions).toEqual(dimensions);
    }
    expect(tasksBelowDesired(watched.service).period.toMinutes()).toBe(5);
  });

  test('a given topic receives every alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const topic = new sns.Topic(stack, 'Pager');
    monitorWebService(stack, webService(stack), { alertTopic: topic });
    for (const alarm of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([stack.resolve(topic.topicArn)]);
    }
  });

  test.each([
    [{ targetErrorRatePercent: 0 }, 'monitoring.targetErrorRatePercent 0 is not a percentage above 0 and at most 100'],
    [{ loadBalancerErrorRatePercent: 150 }, 'monitoring.loadBalancerErrorRatePercent 150 is not a percentage above 0 and at most 100'],
    [{ minimumRequests: 0 }, 'monitoring.minimumRequests 0 must be a whole number of at least 1'],
    [{ p99ResponseTime: Duration.seconds(0) }, 'monitoring.p99ResponseTime 0 seconds must be above 0; drop it for the default 2 seconds.'],
  ])('bad threshold %j names the owner, the option and the fix', (options, message) => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => monitorWebService(stack, webService(stack), { owner: 'FargateWebService at dev/Workload/Web', ...options }))
      .toThrow(`FargateWebService at dev/Workload/Web: ${message}`);
  });
});
