import { containsAccount, containsStage, templateName } from '../naming/template-name';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C03: an explicit bucket name holds the account id and the stage name, since bucket names are
 * global across all AWS accounts. The account is the stack's when known at synth; a name holding
 * `AWS::AccountId` (an `Fn::Join` or `Fn::Sub`) always has it. Names built from other intrinsics are unknown.
 */
export class BucketName implements FintechRule {
  /** Metadata of `Fintech-C03-BucketName`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketName',
    catalogId: 'C03',
    title: 'Explicit S3 bucket names hold the account id and the stage',
    description: 'Bucket names are global: a fixed name collides with the same stack in another stage or account, or with a stranger who took it first, and the deployment fails. ' +
      'Judged on the BucketName of AWS::S3::Bucket; a name holding AWS::AccountId has the account. ' +
      'Not judged: buckets without BucketName (CloudFormation generates a unique one); names built from parameters or other intrinsics ' +
      '(AWS::StackName among them); the stage name in stacks outside a stage; and, when synth does not know the account, whether a 12-digit ' +
      'number in the name is that account (any 12 digits count).',
    fix: "Build the name with PhysicalName.of(this, '<base>', { kind: NameKind.S3_BUCKET }), or drop bucketName and let CloudFormation generate one.",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'BucketName';
  public readonly infos = [BucketName.INFO];
  public readonly resourceTypes = ['AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const value = resource.properties?.BucketName;
    if (value === undefined) return [];
    const name = templateName(value);
    if (!name) return [];
    const { stageName, account } = resource.stack;
    const missing = [
      ...(containsAccount(name, account) ? [] : [account ? `the account id ${account}` : 'an account id']),
      // A stack directly in the app has no stage name to compare.
      ...(stageName === '' || containsStage(name, stageName) ? [] : [`the stage name "${stageName}"`]),
    ];
    if (missing.length === 0) return [];
    return [findingOn(resource, BucketName.INFO.id,
      `${resource.type} ${resource.logicalId} has BucketName "${name.text}", which lacks ${missing.join(' and ')}: bucket names are global, so it collides across stages and accounts.`,
      ['Properties/BucketName'])];
  }
}
