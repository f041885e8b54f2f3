import { FARGATE_TASK_SIZES, fargateMemorySizes, isFargateTaskSize } from '../../src/facts/fargate-task-sizes';

describe('Fargate task sizes', () => {
  test('0.25 vCPU takes 512, 1024 and 2048 MiB only', () => {
    expect(fargateMemorySizes(256)).toEqual([512, 1024, 2048]);
    expect(isFargateTaskSize(256, 1536)).toBe(false);
  });

  test('each CPU size takes its documented range and step', () => {
    expect(fargateMemorySizes(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(fargateMemorySizes(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(isFargateTaskSize(4096, 30720)).toBe(true);
    expect(isFargateTaskSize(4096, 31744)).toBe(false);
    expect(isFargateTaskSize(8192, 20480)).toBe(true);
    expect(isFargateTaskSize(8192, 17408)).toBe(false);
    expect(isFargateTaskSize(16384, 122880)).toBe(true);
    expect(isFargateTaskSize(16384, 36864)).toBe(false);
  });

  test('a memory size below the CPU size\'s range and an unknown CPU size are refused', () => {
    expect(isFargateTaskSize(1024, 1024)).toBe(false);
    expect(fargateMemorySizes(3072)).toEqual([]);
    expect(isFargateTaskSize(3072, 8192)).toBe(false);
  });

  test('the table lists every CPU size once, in increasing order', () => {
    const cpus = FARGATE_TASK_SIZES.map(s => s.cpu);
    expect(cpus).toEqual([...cpus].sort((a, b) => a - b));
    expect(new Set(cpus).size).toBe(cpus.length);
  });
});
