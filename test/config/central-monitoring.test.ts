import { centralMonitoringBusArn, centralMonitoringBusName } from '../../src/config/central-monitoring';

describe('central monitoring bus name and ARN', () => {
  test('the bus is named for the application, the same in every stage and in the monitoring account', () => {
    expect(centralMonitoringBusName('ledger')).toBe('ledger-central-monitoring');
  });

  test('the ARN is in the partition of the monitoring region', () => {
    expect(centralMonitoringBusArn('ledger', { account: '210987654321', region: 'eu-central-1' }))
      .toBe('arn:aws:events:eu-central-1:210987654321:event-bus/ledger-central-monitoring');
    expect(centralMonitoringBusArn('ledger', { account: '210987654321', region: 'cn-north-1' }))
      .toBe('arn:aws-cn:events:cn-north-1:210987654321:event-bus/ledger-central-monitoring');
  });
});
