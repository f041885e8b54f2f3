import * as fs from 'fs';
import * as path from 'path';
import { CDK_NAG_PACKS, cdkNagPackProblems } from '../../src/config/cdk-nag-packs';
import { validatePlatformConfig } from '../../src/config/config-validation';
import { CONFIG } from '../support/fintech-fixture';

describe('CDK_NAG_PACKS', () => {
  test('names every pack cdk-nag 3.0.2 exports, by the name that prefixes its rule ids', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdkNag = require('cdk-nag') as Record<string, new () => { name: string }>;
    expect(JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('cdk-nag')), '..', 'package.json'), 'utf-8')).version).toBe('3.0.2');
    for (const [pack, className] of Object.entries(CDK_NAG_PACKS)) expect(new cdkNag[className]().name).toBe(pack);
    const exported = Object.keys(cdkNag).filter(name => /Checks$/.test(name)).sort();
    expect(Object.values(CDK_NAG_PACKS).sort()).toEqual(exported);
  });
});

describe('cdkNagPackProblems', () => {
  test('accepts no option, an empty list and known packs', () => {
    expect(cdkNagPackProblems(undefined)).toEqual([]);
    expect(cdkNagPackProblems([])).toEqual([]);
    expect(cdkNagPackProblems(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless'])).toEqual([]);
  });

  test('names the option, the value and the valid packs', () => {
    expect(cdkNagPackProblems(['AwsSolutions', 'awssolutions', 'AwsSolutions'])).toEqual([
      {
        option: 'cdkNagPacks[1]',
        value: 'awssolutions',
        problem: 'not a cdk-nag 3 pack',
        fix: "use some of 'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', e.g. cdkNagPacks: ['AwsSolutions'], or omit cdkNagPacks",
      },
      { option: 'cdkNagPacks[2]', value: 'AwsSolutions', problem: 'names a pack already listed, which would run it twice', fix: 'list each pack once' },
    ]);
    expect(cdkNagPackProblems('AwsSolutions')).toEqual([expect.objectContaining({ option: 'cdkNagPacks', problem: 'must be a list of cdk-nag pack names' })]);
  });

  test('validatePlatformConfig reports them, so FintechCdkApp and FintechStage both refuse an unknown pack', () => {
    expect(validatePlatformConfig({ ...CONFIG, cdkNagPacks: ['AwsSolutions'] })).toEqual([]);
    expect(validatePlatformConfig({ ...CONFIG, cdkNagPacks: ['Nope'] }).map(p => p.option)).toEqual(['cdkNagPacks[0]']);
  });
});
