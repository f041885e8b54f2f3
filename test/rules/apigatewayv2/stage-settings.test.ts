import { App, CfnParameter, Fn } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageSettings } from '../../../src/rules/apigateway/stage-settings';
import { HttpApiStageSettings } from '../../../src/rules/apigatewayv2/stage-settings';
import { findingsOf, lines, shop } from '../rule-harness';

const LOGS = HttpApiStageSettings.WITHOUT_ACCESS_LOGS.id;
const THROTTLE = HttpApiStageSettings.WITHOUT_THROTTLING.id;

function c19(app: App) {
  return findingsOf(app, [LOGS, THROTTLE], { stage: 'prod' });
}

describe('HttpApiStageSettings', () => {
  test('passes HTTP and WebSocket stages with access logs and a default throttle', () => {
    const { app, stack } = shop();
    const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const httpApi = new apigwv2.HttpApi(stack, 'Payments', { createDefaultStage: false });
    new apigwv2.HttpStage(stack, 'PaymentsStage', {
      httpApi,
      stageName: 'prod',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    const webSocketApi = new apigwv2.WebSocketApi(stack, 'Quotes');
    new apigwv2.WebSocketStage(stack, 'QuotesStage', {
      webSocketApi,
      stageName: 'prod',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    expect(c19(app)).toEqual([]);
  });

  test('fails the default $default stage of an HttpApi: no logs, no throttle', () => {
    const { app, stack } = shop();
    new apigwv2.HttpApi(stack, 'Payments');
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${LOGS} Shop/Payments/DefaultStage/Resource`, `${THROTTLE} Shop/Payments/DefaultStage/Resource`]);
    expect(findings.find(f => f.ruleId === LOGS)!.message).toMatch(/^AWS::ApiGatewayV2::Stage PaymentsDefaultStage[0-9A-F]{8} "\$default" of HTTP API Payments[0-9A-F]{8} has no AccessLogSettings DestinationArn, so no request to it is logged\.$/);
    expect(findings.find(f => f.ruleId === THROTTLE)!.message).toContain('has no DefaultRouteSettings ThrottlingRateLimit or ThrottlingBurstLimit');
    expect(findings.every(f => f.severity === 'error')).toBe(true);
  });

  test('fails a raw WebSocket stage with a rate but no burst limit and logs but no destination', () => {
    const { app, stack } = shop();
    const api = new apigwv2.CfnApi(stack, 'Quotes', { name: 'quotes', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
    new apigwv2.CfnStage(stack, 'Live', { apiId: api.ref, stageName: 'live', defaultRouteSettings: { throttlingRateLimit: 10 }, accessLogSettings: { format: '$context.requestId' } });
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${LOGS} Shop/Live`, `${THROTTLE} Shop/Live`]);
    expect(findings.find(f => f.ruleId === THROTTLE)!.message).toBe('AWS::ApiGatewayV2::Stage Live "live" of WEBSOCKET API Quotes has no DefaultRouteSettings ThrottlingBurstLimit, so its routes are limited only by the account-wide quota.');
  });

  test('leaves intrinsic settings alone', () => {
    const { app, stack } = shop();
    const api = new apigwv2.CfnApi(stack, 'Payments', { name: 'payments', protocolType: 'HTTP' });
    const useLogs = new CfnParameter(stack, 'LogArn', { type: 'String', allowedPattern: '^arn:.*' });
    const stage = new apigwv2.CfnStage(stack, 'Stage', { apiId: api.ref, stageName: 'prod' });
    stage.addPropertyOverride('AccessLogSettings', Fn.conditionIf('Logged', { DestinationArn: useLogs.valueAsString, Format: '$context.requestId' }, Fn.ref('AWS::NoValue')));
    stage.addPropertyOverride('DefaultRouteSettings', Fn.conditionIf('Throttled', { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }, Fn.ref('AWS::NoValue')));
    expect(c19(app)).toEqual([]);
  });

  test('an HTTP API stage named "prod" in another stage is judged by Fintech-C19-StageNameHardCoded, as REST stages are', () => {
    const { app, stack } = shop();
    const api = new apigwv2.HttpApi(stack, 'Payments', { createDefaultStage: false });
    new apigwv2.HttpStage(stack, 'Prod', { httpApi: api, stageName: 'prod', throttle: { rateLimit: 10, burstLimit: 20 } });
    new apigwv2.HttpStage(stack, 'Dev', { httpApi: api, stageName: 'dev', throttle: { rateLimit: 10, burstLimit: 20 } });
    const id = StageSettings.STAGE_NAME_HARD_CODED.id;
    expect(lines(findingsOf(app, [id], { stage: 'dev' }))).toEqual([`${id} Shop/Prod/Resource`]);
  });
});
