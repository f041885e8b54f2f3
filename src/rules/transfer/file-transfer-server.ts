import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// The policy CloudFormation gives a server created without SecurityPolicyName, where the console, API and CLI give a
// current one; AWS strongly recommends moving off it (Transfer Family user guide, "Security policies for AWS Transfer
// Family servers", checked 2026-12).
const CLOUDFORMATION_DEFAULT_POLICY = 'TransferSecurityPolicy-2018-11';

/**
 * C18 for AWS Transfer Family servers (`AWS::Transfer::Server`), through which partner banks and processors exchange
 * settlement and payment files. Judged: a server whose `Protocols` include `FTP`, which carries credentials and files
 * in plaintext; a server whose `SecurityPolicyName` is unset (CloudFormation then attaches
 * `TransferSecurityPolicy-2018-11`, unlike the console and API) or names that policy. Must not judge: SFTP, FTPS and AS2
 * servers on any later policy (FIPS and post-quantum ones included), SFTP connectors (`AWS::Transfer::Connector`,
 * outbound, with policies of their own), intrinsic protocols or policies.
 */
export class FileTransferServer implements FintechRule {
  /** Metadata of `Fintech-C18-PlaintextFileTransfer`. */
  public static readonly PLAINTEXT: RuleInfo = {
    id: 'Fintech-C18-PlaintextFileTransfer',
    catalogId: 'C18',
    title: 'File transfer servers do not accept plain FTP',
    description: 'A Transfer Family server that accepts FTP carries its users\' passwords and every settlement or payment file unencrypted; ' +
      'Transfer Family allows FTP only on a VPC endpoint, but anything on the path (a peered VPC, a VPN, a Direct Connect link to the partner) reads it. ' +
      'Judged on AWS::Transfer::Server Protocols. Not judged: SFTP, FTPS and AS2, intrinsic protocol lists.',
    fix: 'Offer SFTP (or FTPS with an ACM certificate) instead of FTP in Protocols, and move the partner to it; FTPS keeps FTP clients with TLS added.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C18-WeakFileTransferPolicy`. */
  public static readonly WEAK_POLICY: RuleInfo = {
    id: 'Fintech-C18-WeakFileTransferPolicy',
    catalogId: 'C18',
    title: 'File transfer servers name a current security policy',
    description: `A Transfer Family server created by CloudFormation without SecurityPolicyName gets ${CLOUDFORMATION_DEFAULT_POLICY}, the oldest policy, kept for old clients, ` +
      'while the console and API attach a current one; AWS strongly recommends the latest policy, and one left to a default changes only when someone edits the server. ' +
      `Judged on AWS::Transfer::Server: SecurityPolicyName unset or ${CLOUDFORMATION_DEFAULT_POLICY}. ` +
      'Not judged: any later policy (FIPS and post-quantum ones included), SFTP connectors, intrinsic policy names.',
    fix: 'Set SecurityPolicyName on the CfnServer to the newest policy your partners\' clients support, e.g. TransferSecurityPolicy-2024-01, or a FIPS policy where FIPS 140 is required.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'FileTransferServer';
  public readonly infos = [FileTransferServer.PLAINTEXT, FileTransferServer.WEAK_POLICY];
  public readonly resourceTypes = ['AWS::Transfer::Server'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties ?? {};
    const findings: RuleFinding[] = [];
    const protocols = properties.Protocols;
    if (Array.isArray(protocols)) {
      const ftp = protocols.findIndex(protocol => protocol === 'FTP');
      if (ftp >= 0) {
        findings.push(findingOn(resource, FileTransferServer.PLAINTEXT.id,
          `AWS::Transfer::Server ${resource.logicalId} accepts FTP, so its users' passwords and files cross the network in plaintext.`, [`Properties/Protocols/${ftp}`]));
      }
    }
    const policy = properties.SecurityPolicyName;
    if (policy === undefined || policy === CLOUDFORMATION_DEFAULT_POLICY) {
      const setting = policy === undefined ? `unset, so CloudFormation attaches ${CLOUDFORMATION_DEFAULT_POLICY}` : CLOUDFORMATION_DEFAULT_POLICY;
      findings.push(findingOn(resource, FileTransferServer.WEAK_POLICY.id,
        `AWS::Transfer::Server ${resource.logicalId} has SecurityPolicyName ${setting}, the oldest Transfer Family policy, which AWS asks you to move off.`,
        ['Properties/SecurityPolicyName']));
    }
    return findings;
  }
}
