import { App, CfnParameter } from 'aws-cdk-lib';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import { FileTransferServer } from '../../../src/rules/transfer/file-transfer-server';
import { findingsOf, lines, shop } from '../rule-harness';

const PLAINTEXT = FileTransferServer.PLAINTEXT.id;
const WEAK = FileTransferServer.WEAK_POLICY.id;
const CURRENT = 'TransferSecurityPolicy-2024-01';
const ON_VPC = { endpointType: 'VPC', endpointDetails: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'] } };
const DIRECTORY = { identityProviderType: 'AWS_DIRECTORY_SERVICE', identityProviderDetails: { directoryId: 'd-0123456789' } };

function c18(app: App) {
  return findingsOf(app, [PLAINTEXT, WEAK], { stage: 'prod' });
}

describe('FileTransferServer', () => {
  test('passes SFTP, FTPS and AS2 servers that name a current, FIPS or post-quantum policy', () => {
    const { app, stack } = shop();
    new transfer.CfnServer(stack, 'Sftp', { protocols: ['SFTP'], securityPolicyName: CURRENT });
    new transfer.CfnServer(stack, 'Fips', { securityPolicyName: 'TransferSecurityPolicy-FIPS-2024-01' });
    new transfer.CfnServer(stack, 'Quantum', { securityPolicyName: 'TransferSecurityPolicy-PQ-SSH-Experimental-2023-04' });
    new transfer.CfnServer(stack, 'Ftps', { ...ON_VPC, ...DIRECTORY, protocols: ['FTPS'], certificate: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f6e1b2c', securityPolicyName: 'TransferSecurityPolicy-2020-06' });
    new transfer.CfnServer(stack, 'As2', { ...ON_VPC, protocols: ['AS2'], domain: 'S3', securityPolicyName: CURRENT });
    expect(c18(app)).toEqual([]);
  });

  test('fails a server that accepts FTP, naming the protocol\'s place in the list', () => {
    const { app, stack } = shop();
    new transfer.CfnServer(stack, 'Legacy', { ...ON_VPC, ...DIRECTORY, protocols: ['FTPS', 'FTP'], certificate: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f6e1b2c', securityPolicyName: CURRENT });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${PLAINTEXT} Shop/Legacy`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/Protocols/1'],
      message: 'AWS::Transfer::Server Legacy accepts FTP, so its users\' passwords and files cross the network in plaintext.',
    });
  });

  test('fails a server left to CloudFormation\'s default policy, or naming it, and says which policy it gets', () => {
    const { app, stack } = shop();
    new transfer.CfnServer(stack, 'Defaulted', { protocols: ['SFTP'] });
    new transfer.CfnServer(stack, 'Old', { securityPolicyName: 'TransferSecurityPolicy-2018-11' });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${WEAK} Shop/Defaulted`, `${WEAK} Shop/Old`]);
    expect(findings[0]).toMatchObject({
      locations: ['Properties/SecurityPolicyName'],
      message: 'AWS::Transfer::Server Defaulted has SecurityPolicyName unset, so CloudFormation attaches TransferSecurityPolicy-2018-11, ' +
        'the oldest Transfer Family policy, which AWS asks you to move off.',
    });
    expect(findings[1].message).toBe('AWS::Transfer::Server Old has SecurityPolicyName TransferSecurityPolicy-2018-11, the oldest Transfer Family policy, which AWS asks you to move off.');
  });

  test('a server without properties gets the default policy and SFTP only', () => {
    const { app, stack } = shop();
    new transfer.CfnServer(stack, 'Bare');
    expect(lines(c18(app))).toEqual([`${WEAK} Shop/Bare`]);
  });

  test('leaves intrinsic protocols and policy names alone', () => {
    const { app, stack } = shop();
    const policy = new CfnParameter(stack, 'Policy', { type: 'String' });
    const protocols = new CfnParameter(stack, 'Protocols', { type: 'CommaDelimitedList' });
    new transfer.CfnServer(stack, 'Chosen', { protocols: protocols.valueAsList, securityPolicyName: policy.valueAsString });
    expect(c18(app)).toEqual([]);
  });
});
