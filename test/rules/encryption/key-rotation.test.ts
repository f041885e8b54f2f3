import { App, CfnParameter } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { KeyRotation } from '../../../src/rules/encryption/key-rotation';
import { findingsOf, lines, shop } from '../rule-harness';

const C04 = KeyRotation.INFO.id;

function c04(app: App) {
  return findingsOf(app, [C04]);
}

describe('Fintech-C04-KeyRotation', () => {
  test('fails an L2 key without rotation (the CDK default) and passes one with it', () => {
    const { app, stack } = shop();
    new kms.Key(stack, 'Static');
    new kms.Key(stack, 'Rotating', { enableKeyRotation: true });
    const findings = c04(app);
    expect(lines(findings)).toEqual([`${C04} Shop/Static/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/EnableKeyRotation'],
      message: expect.stringMatching(/^AWS::KMS::Key Static[0-9A-F]{8} is a symmetric key with EnableKeyRotation unset, so its key material never rotates\.$/),
    });
  });

  test('skips asymmetric, HMAC and imported keys, which cannot rotate automatically', () => {
    const { app, stack } = shop();
    new kms.Key(stack, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    new kms.CfnKey(stack, 'Imported', { origin: 'EXTERNAL' });
    new kms.CfnKey(stack, 'Symmetric', { keySpec: 'SYMMETRIC_DEFAULT', enableKeyRotation: false });
    expect(lines(c04(app))).toEqual([`${C04} Shop/Symmetric`]);
  });

  test('catches an escape hatch that turns rotation off', () => {
    const { app, stack } = shop();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    (key.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', 'false');
    expect(c04(app).map(f => f.message)).toEqual([expect.stringContaining('EnableKeyRotation "false"')]);
  });

  test('treats intrinsic rotation and key specs as unknown', () => {
    const { app, stack } = shop();
    const flag = new CfnParameter(stack, 'Rotate', { type: 'String' });
    new kms.CfnKey(stack, 'Param').addPropertyOverride('EnableKeyRotation', flag.valueAsString);
    new kms.CfnKey(stack, 'Spec').addPropertyOverride('KeySpec', { Ref: flag.logicalId });
    expect(c04(app)).toEqual([]);
  });
});
