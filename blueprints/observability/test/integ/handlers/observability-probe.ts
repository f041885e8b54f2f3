import { CloudWatchClient, GetInsightRuleReportCommand } from '@aws-sdk/client-cloudwatch';
import { GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';

/** What the integ test asks the probe. */
export type ProbeRequest =
  /** Post payments through the public API (all but `failed` of them succeed); answers the HTTP statuses. */
  | { readonly action: 'pay'; readonly payments: number; readonly failed?: number }
  /** Count the traces of the last 30 minutes in the X-Ray group of the functions. */
  | { readonly action: 'traces' }
  /** Post payments, then ask whether the top-api-consumers Contributor Insights rule ranks this caller's IP address. */
  | { readonly action: 'rankedCaller' };

const xray = new XRayClient({});
const cloudwatch = new CloudWatchClient({});
const WINDOW_MS = 30 * 60 * 1000;

/** The IP address API Gateway sees for this function's requests. */
async function callerIp(): Promise<string> {
  const response = await fetch('https://checkip.amazonaws.com/');
  return (await response.text()).trim();
}

async function pay(payments: number, failed = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < payments; i++) {
    const response = await fetch(process.env.PAYMENTS_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: i < failed ? 'failed' : 'succeeded', amountMinorUnits: 1250, currency: 'EUR' }),
    });
    statuses.push(response.status);
  }
  return statuses;
}

/** Drives and reads what the observability stack records, for the integ test's assertions. */
export const handler = async (request: ProbeRequest) => {
  const now = Date.now();
  switch (request.action) {
    case 'pay':
      return { statuses: await pay(request.payments, request.failed) };
    case 'traces': {
      const { TraceSummaries = [] } = await xray.send(new GetTraceSummariesCommand({
        StartTime: new Date(now - WINDOW_MS), EndTime: new Date(now), FilterExpression: `group.name = "${process.env.TRACE_GROUP_NAME}"`,
      }));
      return { found: TraceSummaries.length > 0, traces: TraceSummaries.length };
    }
    case 'rankedCaller': {
      const ip = await callerIp();
      await pay(3);
      const report = await cloudwatch.send(new GetInsightRuleReportCommand({
        RuleName: process.env.TOP_CONSUMERS_RULE_NAME,
        StartTime: new Date(now - WINDOW_MS),
        EndTime: new Date(now),
        Period: 60,
        MaxContributorCount: 100,
      }));
      const keys = (report.Contributors ?? []).flatMap(contributor => contributor.Keys ?? []);
      return { ranked: keys.includes(ip), ip, keys };
    }
  }
};
