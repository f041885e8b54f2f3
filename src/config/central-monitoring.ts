import { RegionInfo } from 'aws-cdk-lib/region-info';
import { FintechMonitoringAccount } from './platform-config';

/** Name of the central monitoring event bus of an application: the same in the monitoring account and every stage. */
export function centralMonitoringBusName(application: string): string {
  return `${application}-central-monitoring`;
}

/** ARN of the central monitoring event bus, built from the configuration (no lookup, so stages synthesize offline). */
export function centralMonitoringBusArn(application: string, monitoring: FintechMonitoringAccount): string {
  const partition = RegionInfo.get(monitoring.region).partition ?? 'aws';
  return `arn:${partition}:events:${monitoring.region}:${monitoring.account}:event-bus/${centralMonitoringBusName(application)}`;
}
