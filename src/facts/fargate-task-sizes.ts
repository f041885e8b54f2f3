// Facts about the task sizes AWS Fargate runs, used by FargateWebService to refuse a size at synth instead of at deploy.
// Source: Amazon ECS Developer Guide, "Amazon ECS task definition parameters for Fargate", section "Task size"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size), read 2026-11.
// The 8 and 16 vCPU sizes need Linux platform version 1.4.0 or later, which is LATEST.

/** One CPU size of a Fargate task with the memory sizes it accepts, in MiB. */
export interface FargateTaskSize {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Smallest memory, MiB. */
  readonly minMemoryMiB: number;
  /** Largest memory, MiB. */
  readonly maxMemoryMiB: number;
  /** Step between accepted memory sizes from the smallest, MiB. */
  readonly memoryStepMiB: number;
}

/** Every CPU size of a Fargate Linux task and its memory range. */
export const FARGATE_TASK_SIZES: readonly FargateTaskSize[] = [
  // 0.25 vCPU accepts exactly 512, 1024 and 2048: not a regular step from 512, see `fargateMemorySizes`.
  { cpu: 256, minMemoryMiB: 512, maxMemoryMiB: 2048, memoryStepMiB: 512 },
  { cpu: 512, minMemoryMiB: 1024, maxMemoryMiB: 4096, memoryStepMiB: 1024 },
  { cpu: 1024, minMemoryMiB: 2048, maxMemoryMiB: 8192, memoryStepMiB: 1024 },
  { cpu: 2048, minMemoryMiB: 4096, maxMemoryMiB: 16384, memoryStepMiB: 1024 },
  { cpu: 4096, minMemoryMiB: 8192, maxMemoryMiB: 30720, memoryStepMiB: 1024 },
  { cpu: 8192, minMemoryMiB: 16384, maxMemoryMiB: 61440, memoryStepMiB: 4096 },
  { cpu: 16384, minMemoryMiB: 32768, maxMemoryMiB: 122880, memoryStepMiB: 8192 },
];

/** When the table above was last checked against the AWS documentation. */
export const FARGATE_TASK_SIZES_CHECKED = '2026-11';

/** The memory sizes (MiB) Fargate accepts with `cpu` units; empty for a CPU size Fargate does not offer. */
export function fargateMemorySizes(cpu: number): number[] {
  const size = FARGATE_TASK_SIZES.find(s => s.cpu === cpu);
  if (!size) return [];
  if (cpu === 256) return [512, 1024, 2048];
  const sizes: number[] = [];
  for (let memory = size.minMemoryMiB; memory <= size.maxMemoryMiB; memory += size.memoryStepMiB) sizes.push(memory);
  return sizes;
}

/** Whether Fargate runs a task of `cpu` units and `memoryMiB`. */
export function isFargateTaskSize(cpu: number, memoryMiB: number): boolean {
  return fargateMemorySizes(cpu).includes(memoryMiB);
}
