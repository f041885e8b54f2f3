import { TemplateValue } from '../template-value';

/** A physical name as a template spells it, with the deploy-time account where the name holds it. */
export interface TemplateName {
  /** The name as written: literal text, pseudo parameters as `${AWS::Region}` and the like. */
  readonly text: string;
  /** Whether the name holds `AWS::AccountId`, the account it is deployed to. */
  readonly hasAccountRef: boolean;
}

// Pseudo parameters that never carry a stage name, so a name made of them and literals is fully known.
const KNOWN_PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix']);

/**
 * Reads a physical name: a literal string, or an `Fn::Join` / `Fn::Sub` of literals and the pseudo
 * parameters above (what `PhysicalName.of` synthesizes when the account is a token). Anything else,
 * e.g. a `Ref` to a parameter that may hold the stage, is unknown: undefined.
 */
export function templateName(value: unknown): TemplateName | undefined {
  if (typeof value === 'string') return { text: value, hasAccountRef: false };
  const pseudo = TemplateValue.refTarget(value);
  if (pseudo !== undefined) return KNOWN_PSEUDO_PARAMETERS.has(pseudo) ? { text: `\${${pseudo}}`, hasAccountRef: pseudo === 'AWS::AccountId' } : undefined;
  if (!TemplateValue.isObject(value)) return undefined;

  const join = value['Fn::Join'];
  if (Array.isArray(join) && Object.keys(value).length === 1) {
    const [delimiter, parts] = join;
    if (typeof delimiter !== 'string' || !Array.isArray(parts)) return undefined;
    const names = parts.map(templateName);
    if (names.some(name => name === undefined)) return undefined;
    return { text: names.map(name => name!.text).join(delimiter), hasAccountRef: names.some(name => name!.hasAccountRef) };
  }

  const sub = value['Fn::Sub'];
  if (typeof sub === 'string' && Object.keys(value).length === 1) {
    const variables = [...sub.matchAll(/\$\{([^!}][^}]*)\}/g)].map(match => match[1]);
    if (variables.some(variable => !KNOWN_PSEUDO_PARAMETERS.has(variable))) return undefined;
    return { text: sub, hasAccountRef: variables.includes('AWS::AccountId') };
  }
  return undefined;
}

/** Whether a name contains the stage name, case-insensitively, anywhere (so `ledger-entries-dev` and `LedgerEntriesDev` both do). */
export function containsStage(name: TemplateName, stageName: string): boolean {
  return literalText(name).toLowerCase().includes(stageName.toLowerCase());
}

/**
 * Whether a name contains the name of the stack it deploys in (`<stack>-ledger`, or CDK's names built from a construct's
 * path, which keep its letters and digits): letters and digits compared, case-insensitively. CloudFormation stack names are
 * unique in an account and region, so another stage deploying there has a stack of another name.
 */
export function containsStackName(name: TemplateName, stackName: string | undefined): boolean {
  const stack = lettersAndDigits(stackName ?? '');
  return stack !== '' && lettersAndDigits(literalText(name)).includes(stack);
}

function lettersAndDigits(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a name contains this account id, or any account id when the account is unknown at synth. */
export function containsAccount(name: TemplateName, account: string | undefined): boolean {
  if (name.hasAccountRef) return true;
  return account !== undefined ? literalText(name).includes(account) : /\d{12}/.test(literalText(name));
}

// Pseudo parameters are left out, so `${AWS::AccountId}` never matches a stage named `aws`.
function literalText(name: TemplateName): string {
  return name.text.replace(/\$\{[^}]*\}/g, '');
}
