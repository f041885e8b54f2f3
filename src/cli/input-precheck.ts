import { PrecheckResult } from './credentials-precheck';
import { stackTemplates, templateName } from './stack-templates';
import { INTEG_INPUTS_METADATA, UNSET_INPUTS_METADATA } from '../config/report-context';

/** One input an integ test needs from the deploying account, as its stacks record it (`IntegInput`). */
export interface RecordedIntegInput {
  /** The environment variable that carries it. */
  readonly name: string;
  /** What it must hold and how to get it. */
  readonly description: string;
  /** The templates that need it. */
  readonly templates: string[];
}

/** The inputs the stacks of snapshot (cloud assembly) directories record in their template metadata, by variable name. */
export function recordedIntegInputs(assemblies: readonly string[]): RecordedIntegInput[] {
  const inputs = new Map<string, RecordedIntegInput>();
  for (const { file, template } of stackTemplates(assemblies)) {
    const recorded = template.Metadata?.[INTEG_INPUTS_METADATA];
    if (!Array.isArray(recorded)) continue;
    for (const { name, description } of recorded) {
      if (typeof name !== 'string') continue;
      const input = inputs.get(name) ?? { name, description: typeof description === 'string' ? description : '', templates: [] };
      if (!input.templates.includes(templateName(file))) input.templates.push(templateName(file));
      inputs.set(name, input);
    }
  }
  return [...inputs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Fails, naming each variable, what it must hold and the templates that need it, when an input the integ tests record is
 * not set in `env`. Runs before any AWS call: a missing domain or certificate stops `integ:deploy` at once instead of
 * failing a deploy midway.
 */
export function precheckIntegInputs(assemblies: readonly string[], env: NodeJS.ProcessEnv): PrecheckResult {
  const missing = recordedIntegInputs(assemblies).filter(input => !env[input.name]);
  if (missing.length === 0) return { ok: true };
  const lines = missing.map(input => `  ${input.name}: ${input.description} (needed by ${input.templates.join(', ')})`);
  return {
    ok: false,
    message: 'these integ tests need values from the account they deploy to, and the environment does not set them:\n' +
      `${lines.join('\n')}\nExport each one (e.g. export ${missing[0].name}=...), then run the deploy again; ` +
      'offline commands (integ:snapshot, integ:verify) use placeholders and need none.',
  };
}

/**
 * Fails, naming each input, its fix and the templates that carry it, when a stack of the assemblies was synthesized with
 * a placeholder for an input of the deploying account (`UnsetInput`): CloudFormation would fail midway on the placeholder.
 */
export function precheckUnsetInputs(assemblies: readonly string[]): PrecheckResult {
  const unset = new Map<string, { fix: string; templates: string[] }>();
  for (const { file, template } of stackTemplates(assemblies)) {
    const recorded = template.Metadata?.[UNSET_INPUTS_METADATA];
    for (const { input, fix } of Array.isArray(recorded) ? recorded : []) {
      if (typeof input !== 'string') continue;
      const entry = unset.get(input) ?? { fix: typeof fix === 'string' ? fix : '', templates: [] };
      if (!entry.templates.includes(templateName(file))) entry.templates.push(templateName(file));
      unset.set(input, entry);
    }
  }
  if (unset.size === 0) return { ok: true };
  const lines = [...unset].sort(([a], [b]) => a.localeCompare(b)).map(([input, { fix, templates }]) => `  ${input} (in ${templates.join(', ')}): ${fix}`);
  return {
    ok: false,
    message: `these stacks were synthesized with placeholders for inputs of the account, so CloudFormation would fail on them:\n${lines.join('\n')}`,
  };
}
