import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { INTEG_INPUTS_METADATA } from '../config/report-context';

/** What an integ test needs from the account it deploys to, e.g. a certificate or a domain. */
export interface IntegInputProps {
  /** Environment variable that carries the value when the test is deployed, e.g. `FINTECH_INTEG_CERTIFICATE_ARN`. */
  readonly name: string;

  /**
   * What the value is and how to get it, for the pre-check's message, e.g. "ARN of an ACM certificate in the test's
   * region for the domain FINTECH_INTEG_DOMAIN names (aws acm request-certificate ...)".
   */
  readonly description: string;

  /**
   * Value used when the variable is not set: offline synths (`integ:snapshot`, `integ:verify`, unit tests) need no
   * account. Make it obviously fake (e.g. the account 123456789012), so a snapshot never records a real one.
   */
  readonly placeholder: string;

  /**
   * Regular expression a value given through the environment must match, e.g. `^arn:aws[-a-z]*:acm:`.
   *
   * @default - any non-empty value
   */
  readonly pattern?: string;
}

/**
 * Inputs an integration test needs from the deploying account (a domain, a certificate, ...). `IntegInput.value` returns the
 * environment variable's value, or the placeholder offline, and records the input in the stack template's metadata
 * (`fintech:integ-inputs`). `integ:deploy` reads those records from the snapshot before it deploys anything and stops in
 * well under a second, naming each missing variable and what it must hold, instead of failing midway through a deploy.
 */
export class IntegInput {
  /**
   * The value of the input for a construct of `scope`'s stack: the environment variable `props.name` when set, else
   * `props.placeholder`. A set value that does not match `props.pattern` fails synth.
   */
  public static value(scope: IConstruct, props: IntegInputProps): string {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(props.name)) {
      throw new Error(`IntegInput at ${scope.node.path}: name "${props.name}" is not an environment variable name; use capitals, digits and underscores, e.g. FINTECH_INTEG_DOMAIN.`);
    }
    if (!props.placeholder || Token.isUnresolved(props.placeholder)) {
      throw new Error(`IntegInput at ${scope.node.path}: ${props.name} needs a literal placeholder for offline synths; give an obviously fake value.`);
    }
    const stack = Stack.of(scope);
    const metadata = stack.templateOptions.metadata ?? {};
    const recorded: Array<{ name: string; description: string }> = metadata[INTEG_INPUTS_METADATA] ?? [];
    if (!recorded.some(input => input.name === props.name)) {
      stack.templateOptions.metadata = { ...metadata, [INTEG_INPUTS_METADATA]: [...recorded, { name: props.name, description: props.description }] };
    }
    const given = process.env[props.name];
    if (!given) return props.placeholder;
    if (props.pattern && !new RegExp(props.pattern).test(given)) {
      throw new Error(`IntegInput at ${scope.node.path}: ${props.name} "${given}" does not match ${props.pattern}; it must be ${props.description}.`);
    }
    return given;
  }

  private constructor() {}
}
