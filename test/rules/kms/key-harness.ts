import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { stackIn, testApp } from '../../support/fintech-fixture';

/** The key policy statement that lets the account administer a key (and delegate its use to IAM policies). */
export const ROOT_ADMIN = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' };

/** A stack in the dev stage, for the library's constructs, which need a FintechStage. */
export function staged() {
  const app = testApp();
  return { app, stack: stackIn(app, 'dev') };
}

/** A raw customer key with rotation whose policy is `ROOT_ADMIN` and `statements`. */
export function keyWith(scope: Construct, id: string, ...statements: unknown[]): kms.CfnKey {
  return new kms.CfnKey(scope, id, { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [ROOT_ADMIN, ...statements] } });
}
