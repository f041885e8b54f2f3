import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C04: symmetric customer keys rotate their key material yearly. KMS rotates only symmetric keys whose
 * material it generated (AWS KMS developer guide, "Rotating AWS KMS keys", checked 2026-11): asymmetric and
 * HMAC keys (KeySpec other than SYMMETRIC_DEFAULT) and keys with imported or custom key store material
 * (Origin other than AWS_KMS) cannot turn automatic rotation on, so they are skipped.
 */
export class KeyRotation implements FintechRule {
  /** Metadata of `Fintech-C04-KeyRotation`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C04-KeyRotation',
    catalogId: 'C04',
    title: 'Symmetric KMS keys rotate automatically',
    description: 'A key that never rotates keeps encrypting new data under the same material for years, which PCI DSS key-management requirements and most fintech reviews reject. ' +
      'Judged on AWS::KMS::Key. Not judged: asymmetric and HMAC keys (KeySpec other than SYMMETRIC_DEFAULT) and keys with imported or custom key ' +
      'store material (Origin other than AWS_KMS), which KMS cannot rotate automatically; multi-Region replica keys (AWS::KMS::ReplicaKey), which ' +
      'take their primary\'s rotation; the rotation period (RotationPeriodInDays); EnableKeyRotation, KeySpec or Origin given by an intrinsic.',
    fix: 'Set enableKeyRotation: true on the kms.Key (DataKey does).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'KeyRotation';
  public readonly infos = [KeyRotation.INFO];
  public readonly resourceTypes = ['AWS::KMS::Key'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const { KeySpec: keySpec, Origin: origin, EnableKeyRotation: rotation } = properties;
    // Only a literal symmetric, KMS-generated key is known to support rotation.
    if (keySpec !== undefined && keySpec !== 'SYMMETRIC_DEFAULT') return [];
    if (origin !== undefined && origin !== 'AWS_KMS') return [];
    const on = TemplateValue.booleanOf(rotation);
    if (on === true || (on === undefined && rotation !== undefined)) return [];
    return [findingOn(resource, KeyRotation.INFO.id,
      `${resource.type} ${resource.logicalId} is a symmetric key with EnableKeyRotation ${rotation === undefined ? 'unset' : JSON.stringify(rotation)}, so its key material never rotates.`,
      ['Properties/EnableKeyRotation'])];
  }
}
