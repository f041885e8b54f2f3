import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UNSET_INPUTS_METADATA } from '../config/report-context';

/** An input a stack was synthesized without. */
export interface UnsetInputProps {
  /** What is missing, e.g. `web-domains.json stages.dev`. */
  readonly input: string;

  /** How to supply it, e.g. "add the stage's domain names and certificate ARNs under stages.dev". */
  readonly fix: string;
}

/**
 * Marks a stack as synthesized with a placeholder where an input of the deploying account belongs (a domain, a
 * certificate): offline commands (synth, unit tests, snapshots) work, but `deploy:<stage>` and `integ:deploy` read the
 * mark from the synthesized template (metadata `fintech:unset-inputs`) and refuse before deploying anything, naming each
 * input and its fix, instead of letting CloudFormation fail midway on a placeholder.
 */
export class UnsetInput {
  /** Records on `scope`'s stack that `props.input` is a placeholder; each input once per stack. */
  public static record(scope: IConstruct, props: UnsetInputProps): void {
    if (!props.input.trim() || !props.fix.trim()) {
      throw new Error(`UnsetInput at ${scope.node.path}: input and fix must both say something; name what is missing and how to supply it.`);
    }
    const stack = Stack.of(scope);
    const metadata = stack.templateOptions.metadata ?? {};
    const recorded: UnsetInputProps[] = metadata[UNSET_INPUTS_METADATA] ?? [];
    if (recorded.some(entry => entry.input === props.input)) return;
    stack.templateOptions.metadata = { ...metadata, [UNSET_INPUTS_METADATA]: [...recorded, { input: props.input, fix: props.fix }] };
  }

  /** The inputs recorded on `scope`'s stack. */
  public static of(scope: IConstruct): UnsetInputProps[] {
    return [...(Stack.of(scope).templateOptions.metadata?.[UNSET_INPUTS_METADATA] ?? [])];
  }

  private constructor() {}
}
