import type { ConfigProblem } from './config-validation';

/**
 * The cdk-nag 3 packs a project may enable (`cdkNagPacks` in `.projenrc.ts`): each pack's name, which prefixes its rule
 * ids (`AwsSolutions-S1`), and the class cdk-nag 3.0.2 exports for it.
 */
export const CDK_NAG_PACKS: { readonly [pack: string]: string } = {
  'AwsSolutions': 'AwsSolutionsChecks',
  'HIPAA.Security': 'HIPAASecurityChecks',
  'NIST.800.53.R4': 'NIST80053R4Checks',
  'NIST.800.53.R5': 'NIST80053R5Checks',
  'PCI.DSS.321': 'PCIDSS321Checks',
  'Serverless': 'ServerlessChecks',
};

/** Problems of a `cdkNagPacks` option: not a list, an unknown pack name, or a pack named twice. */
export function cdkNagPackProblems(packs: unknown): ConfigProblem[] {
  if (packs === undefined) return [];
  const valid = Object.keys(CDK_NAG_PACKS);
  const fix = `use some of ${valid.map(p => `'${p}'`).join(', ')}, e.g. cdkNagPacks: ['AwsSolutions'], or omit cdkNagPacks`;
  if (!Array.isArray(packs)) return [{ option: 'cdkNagPacks', value: packs, problem: 'must be a list of cdk-nag pack names', fix }];
  const problems: ConfigProblem[] = [];
  packs.forEach((pack, i) => {
    if (typeof pack !== 'string' || !(pack in CDK_NAG_PACKS)) {
      problems.push({ option: `cdkNagPacks[${i}]`, value: pack, problem: 'not a cdk-nag 3 pack', fix });
    } else if (packs.indexOf(pack) !== i) {
      problems.push({ option: `cdkNagPacks[${i}]`, value: pack, problem: 'names a pack already listed, which would run it twice', fix: 'list each pack once' });
    }
  });
  return problems;
}
