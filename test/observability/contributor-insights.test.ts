import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiConsumerKey, ContributorInsights, FunctionErrorKey } from '../../src/observability/contributor-insights';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

function group(stack: Stack, name: string): logs.ILogGroup {
  return logs.LogGroup.fromLogGroupName(stack, name, name);
}

function ruleNamed(stack: Stack, name: string): { state: string; body: any } {
  const rule = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::InsightRule')).map(r => r.Properties).find(p => p.RuleName === name);
  expect(rule).toBeDefined();
  return { state: rule.RuleState, body: JSON.parse(rule.RuleBody) };
}

describe('ContributorInsights', () => {
  test('top API consumers: JSON access logs counted by source ip', () => {
    const stack = stackIn(testApp(), 'prod');
    const insights = new ContributorInsights(stack, 'Insights', { apiAccessLogGroups: [group(stack, 'ledger-api-access-prod')] });
    expect(insights.errorProneFunctions).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::InsightRule', 1);
    expect(ruleNamed(stack, 'ledger-top-api-consumers-prod')).toEqual({
      state: 'ENABLED',
      body: {
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: ['ledger-api-access-prod'],
        LogFormat: 'JSON',
        Contribution: { Keys: ['$.ip'] },
        AggregateOn: 'Count',
      },
    });
  });

  test('top API consumers by IAM caller leave out unsigned requests', () => {
    const stack = stackIn(testApp(), 'prod');
    new ContributorInsights(stack, 'Insights', { apiAccessLogGroups: [group(stack, 'ledger-api-access-prod')], apiConsumerKey: ApiConsumerKey.CALLER });
    expect(ruleNamed(stack, 'ledger-top-api-consumers-prod').body.Contribution).toEqual({ Keys: ['$.caller'], Filters: [{ Match: '$.caller', NotIn: ['-'] }] });
  });

  test('error-prone functions: Powertools ERROR lines counted by function_name, or by service', () => {
    const stack = stackIn(testApp(), 'prod');
    const groups = [group(stack, '/aws/lambda/ledger-payments-prod'), group(stack, '/aws/lambda/ledger-refunds-prod')];
    const insights = new ContributorInsights(stack, 'Insights', { functionLogGroups: groups });
    expect(insights.topApiConsumers).toBeUndefined();
    expect(ruleNamed(stack, 'ledger-error-prone-functions-prod').body).toEqual({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: ['/aws/lambda/ledger-payments-prod', '/aws/lambda/ledger-refunds-prod'],
      LogFormat: 'JSON',
      Contribution: { Keys: ['$.function_name'], Filters: [{ Match: '$.level', In: ['ERROR'] }] },
      AggregateOn: 'Count',
    });

    const byService = stackIn(testApp(), 'prod');
    new ContributorInsights(byService, 'Insights', { functionLogGroups: [group(byService, '/aws/lambda/x')], functionErrorKey: FunctionErrorKey.SERVICE });
    expect(ruleNamed(byService, 'ledger-error-prone-functions-prod').body.Contribution.Keys).toEqual(['$.service']);
  });

  test('both rules, named with nameBase', () => {
    const stack = stackIn(testApp(), 'dev');
    new ContributorInsights(stack, 'Insights', { apiAccessLogGroups: [group(stack, 'a')], functionLogGroups: [group(stack, 'b')], nameBase: 'payments' });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::InsightRule', 2);
    ruleNamed(stack, 'ledger-payments-top-api-consumers-dev');
    ruleNamed(stack, 'ledger-payments-error-prone-functions-dev');
  });

  test('a log group of the same stack is referenced inside the rule body', () => {
    const stack = stackIn(testApp(), 'prod');
    const logGroup = new logs.LogGroup(stack, 'Access');
    new ContributorInsights(stack, 'Insights', { apiAccessLogGroups: [logGroup] });
    const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::InsightRule'));
    const reference = { Ref: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) };
    expect(JSON.stringify(rule.Properties.RuleBody)).toContain(JSON.stringify(reference));
  });

  test('passes the rule pack', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new ContributorInsights(stack, 'Insights', { apiAccessLogGroups: [group(stack, 'a')], functionLogGroups: [group(stack, 'b')] });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });

  test('refuses to rank nothing', () => {
    expect(() => new ContributorInsights(stackIn(testApp(), 'prod'), 'Insights', { apiAccessLogGroups: [] }))
      .toThrow('ContributorInsights at prod/Workload/Insights: neither apiAccessLogGroups nor functionLogGroups is set, so there is nothing to rank; pass e.g. apiAccessLogGroups: [api.accessLogGroup] or functionLogGroups: [fn.logGroup].');
  });
});
