import { MissingParameters, PrecheckResult } from './credentials-precheck';
import { stackTemplates, templateName } from './stack-templates';
import { POWERTOOLS_LAYER_PARAMETER_PATH } from '../facts/powertools-layer-parameter';

/**
 * The SSM parameters the stacks of cloud assembly directories (or single template files) resolve at deploy time (CloudFormation parameters of an
 * `AWS::SSM::Parameter::Value<...>` type, by their Default name), with the templates that need each. Every
 * stack template a cloud assembly's manifest lists counts, nested stacks' templates and nested stage assemblies included
 * (`stackTemplates`). CDK's own bootstrap version parameter is left out: the bootstrap check reads it. A directory that
 * does not exist adds nothing.
 */
export function ssmParameterLookups(assemblies: string[]): Map<string, string[]> {
  const lookups = new Map<string, string[]>();
  for (const { file, template } of stackTemplates(assemblies)) {
    const parameters: { [id: string]: { Type?: string; Default?: unknown } } = template.Parameters ?? {};
    for (const { Type, Default } of Object.values(parameters)) {
      if (!Type?.startsWith('AWS::SSM::Parameter::Value<') || typeof Default !== 'string' || Default.startsWith('/cdk-bootstrap/')) continue;
      const name = templateName(file);
      const needing = lookups.get(Default) ?? [];
      if (!needing.includes(name)) lookups.set(Default, [...needing, name]);
    }
  }
  for (const stacks of lookups.values()) stacks.sort();
  return lookups;
}

/** How `precheckParameters` words its advice. */
export interface ParameterAdvice {
  /** Whether the endpoint variables point at an emulator (which holds none of AWS's public `/aws/service/...` parameters). */
  readonly emulator: boolean;
  /** The command that synthesizes without the Powertools layer, e.g. `npx projen deploy:dev -- -c fintech:powertools-layer=false`. */
  readonly withoutPowertoolsLayer: string;
}

/**
 * Fails, naming each parameter and the templates that need it, when an SSM parameter the stacks resolve at deploy
 * time does not exist in `region` (CloudFormation would fail the deploy midway; an emulator such as moto answers it
 * with an HTTP 500 instead). Goes on, with a warning in `message`, when the parameters cannot be looked up (a
 * least-privilege role may not read SSM; the deploy itself will tell).
 */
export async function precheckParameters(region: string, lookups: Map<string, string[]>, missingParameters: MissingParameters,
  advice: ParameterAdvice): Promise<PrecheckResult> {
  if (lookups.size === 0) return { ok: true };
  let missing: string[];
  try {
    missing = await missingParameters(region, [...lookups.keys()]);
  } catch (error) {
    return { ok: true, message: `could not look up the SSM parameters the stacks need in ${region} (${(error as Error).name ?? 'Error'}); going on.` };
  }
  if (missing.length === 0) return { ok: true };
  const lines = missing.map(name => `  ${name} (needed by ${lookups.get(name)?.join(', ')})`);
  let fix = '';
  if (missing.some(name => name.startsWith(`${POWERTOOLS_LAYER_PARAMETER_PATH}/`))) {
    fix = advice.emulator
      ? '\nAn emulator holds none of AWS\'s public /aws/service/ parameters (moto refuses to create them): bundle Powertools for the rehearsal ' +
        `instead of its layer, with the context value fintech:powertools-layer=false: ${advice.withoutPowertoolsLayer}`
      : '\nThe Powertools layer parameters are published by AWS some time after a release reaches npm, and only in commercial regions: ' +
        `install a Powertools version whose layer is listed by \`aws ssm get-parameters-by-path --path ${POWERTOOLS_LAYER_PARAMETER_PATH}\`, ` +
        'or set powertoolsLayer: false to bundle Powertools.';
  }
  return {
    ok: false,
    message: `these SSM parameters the stacks resolve at deploy time do not exist in ${region}, so CloudFormation would fail:\n${lines.join('\n')}${fix}`,
  };
}
