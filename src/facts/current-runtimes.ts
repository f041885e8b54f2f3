// The runtimes this library's constructs use, chosen once here (C14). Move them forward when AWS
// deprecates them (see deprecated-runtimes.ts) and aws-cdk-lib offers a newer one.
// Source: AWS Lambda runtimes page and CloudWatch Synthetics runtime versions, checked 2026-11-23
// against the identifiers aws-cdk-lib 2.257 offers (lambda.Runtime, synthetics.Runtime).

/** Lambda Node.js runtime of TracedFunction and every function the blueprints create: Node.js 24, supported into 2028. */
export const CURRENT_LAMBDA_NODE_RUNTIME = 'nodejs24.x';

/** Synthetics runtime of canaries this library creates: the newest Node.js Puppeteer runtime aws-cdk-lib 2.257 offers. */
export const CURRENT_SYNTHETICS_NODE_RUNTIME = 'syn-nodejs-puppeteer-13.0';
