import { BLUEPRINTS, blueprintVariable } from '../../src/project/blueprint-samples';

/**
 * The props main.ts gives an add-on blueprint's stack (the observability one), evaluated from the workloads' own code of
 * them over the workload stacks given by blueprint name: what a generated repo's app runs, checked to be valid code.
 */
export function addOnProps(workloads: { [name: string]: unknown }): { paymentServices: unknown[]; publicEndpoints: unknown[] } {
  const names = Object.keys(workloads);
  const evaluate = (code: readonly string[]): unknown[] =>
    new Function(...names.map(blueprintVariable), `return [${code.join(', ')}];`)(...names.map(name => workloads[name]));
  return {
    paymentServices: evaluate(names.flatMap(name => BLUEPRINTS[name].observed?.paymentServices ?? [])),
    publicEndpoints: evaluate(names.flatMap(name => BLUEPRINTS[name].observed?.publicEndpoints?.(blueprintVariable(name)) ?? [])),
  };
}
