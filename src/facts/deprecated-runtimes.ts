/** A runtime identifier that AWS no longer supports, with where that is written down. */
export interface DeprecatedRuntime {
  /** The identifier as CloudFormation takes it, e.g. `nodejs18.x` or `syn-nodejs-puppeteer-6.2`. */
  readonly name: string;
  /** Where it is marked deprecated. */
  readonly source: string;
}

const CDK_LAMBDA = 'aws-cdk-lib 2.257 lambda.Runtime @deprecated';
const CDK_SYNTHETICS = 'aws-cdk-lib 2.257 synthetics.Runtime @deprecated';
const AWS_LAMBDA = 'AWS Lambda runtimes page, deprecated runtimes (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), checked 2026-11';
const AWS_SYNTHETICS = 'CloudWatch Synthetics runtime support policy, deprecation dates ' +
  '(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Runtime_Support_Policy.html), checked 2026-11';

/**
 * Lambda runtimes that are deprecated, checked 2026-11: every runtime aws-cdk-lib 2.257 marks
 * `@deprecated` in `aws-lambda/lib/runtime.d.ts` ("Legacy runtime no longer supported by AWS Lambda"),
 * plus those the AWS Lambda runtimes page lists as deprecated that CDK 2.257 does not mark:
 * nodejs20.x (deprecated 2026-04-30 with Node.js 20's end of life) and the container-only dotnet5.0 and dotnet7.
 * java8.al2 is not deprecated (only java8 on Amazon Linux 1 is). Update this list, with the date, when AWS deprecates more.
 */
export const DEPRECATED_LAMBDA_RUNTIMES: readonly DeprecatedRuntime[] = [
  ...['nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
    'python2.7', 'python3.6', 'python3.7', 'python3.8', 'python3.9',
    'java8',
    'dotnet6', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1',
    'go1.x',
    'ruby2.5', 'ruby2.7',
    'provided'].map(name => ({ name, source: CDK_LAMBDA })),
  ...['nodejs20.x', 'dotnet5.0', 'dotnet7'].map(name => ({ name, source: AWS_LAMBDA })),
];

/**
 * Synthetics canary runtime versions that are deprecated, checked 2026-11: every version aws-cdk-lib 2.257
 * marks `@deprecated` in `aws-synthetics/lib/runtime.d.ts`, plus those the Synthetics runtime support policy
 * lists with a deprecation date in the past that CDK 2.257 does not mark (2026-01-22 and 2026-02-03), and the
 * versions older than CDK's list (syn-1.0, syn-nodejs-2.x, syn-nodejs-puppeteer-3.0 to 3.4).
 */
export const DEPRECATED_SYNTHETICS_RUNTIMES: readonly DeprecatedRuntime[] = [
  ...['syn-nodejs-puppeteer-3.5', 'syn-nodejs-puppeteer-3.6', 'syn-nodejs-puppeteer-3.7', 'syn-nodejs-puppeteer-3.8', 'syn-nodejs-puppeteer-3.9',
    'syn-nodejs-puppeteer-4.0', 'syn-nodejs-puppeteer-5.0', 'syn-nodejs-puppeteer-5.1', 'syn-nodejs-puppeteer-6.0', 'syn-nodejs-puppeteer-6.1',
    'syn-python-selenium-1.0', 'syn-python-selenium-1.1', 'syn-python-selenium-1.2', 'syn-python-selenium-1.3', 'syn-python-selenium-2.0'].map(name => ({ name, source: CDK_SYNTHETICS })),
  ...['syn-nodejs-puppeteer-5.2', 'syn-nodejs-puppeteer-6.2', 'syn-nodejs-puppeteer-7.0',
    'syn-python-selenium-2.1', 'syn-python-selenium-3.0', 'syn-python-selenium-4.0', 'syn-python-selenium-4.1', 'syn-python-selenium-5.0', 'syn-python-selenium-5.1',
    'syn-1.0', 'syn-nodejs-2.0', 'syn-nodejs-2.0-beta', 'syn-nodejs-2.1', 'syn-nodejs-2.2',
    'syn-nodejs-puppeteer-3.0', 'syn-nodejs-puppeteer-3.1', 'syn-nodejs-puppeteer-3.2', 'syn-nodejs-puppeteer-3.3', 'syn-nodejs-puppeteer-3.4'].map(name => ({ name, source: AWS_SYNTHETICS })),
];
