#!/usr/bin/env node
import { ChildProcess, spawn } from 'child_process';

const USAGE = `usage: fintech-parallel <task>,<task>[,...] [ARGS...]

Runs projen tasks at the same time (\`projen <task>\`). Each task's output is held back and printed in one
block when the task ends, so the log reads as if they had run one after the other. ARGS go to the first task
(e.g. \`npx projen test -t receiver\` passes -t receiver to jest). Exits 1 when any task fails, naming it.`;

/** How a task is started; injected in tests. */
export type TaskStarter = (task: string, args: string[]) => ChildProcess;

/** Starts `projen <task> [args]` from the project's node_modules/.bin (on PATH inside projen tasks and npx). */
export const startProjenTask: TaskStarter = (task, args) => spawn('projen', [task, ...args], {
  stdio: ['ignore', 'pipe', 'pipe'],
  // Held-back output is not a terminal: keep the colours the tasks would print to one.
  env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } : process.env,
});

interface TaskResult {
  readonly task: string;
  readonly code: number;
  readonly seconds: number;
}

/** Entry point of the `fintech-parallel` bin; resolves to the exit code. */
export async function main(
  argv: string[],
  start: TaskStarter = startProjenTask,
  write: (text: string) => void = text => process.stdout.write(text),
): Promise<number> {
  const tasks = (argv[0] ?? '').split(',').filter(Boolean);
  if (tasks.length === 0 || argv[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const args = argv.slice(1);
  const results = await Promise.all(tasks.map((task, i) => run(task, i === 0 ? args : [], start, write)));
  const failed = results.filter(r => r.code !== 0);
  if (failed.length > 0) {
    console.error(`fintech-parallel: ${failed.map(r => `${r.task} failed (exit ${r.code})`).join(', ')}; ` +
      `${results.length - failed.length} of ${results.length} tasks passed. Run a task alone with \`npx projen <task>\` to see it as it happens.`);
    return 1;
  }
  return 0;
}

function run(task: string, args: string[], start: TaskStarter, write: (text: string) => void): Promise<TaskResult> {
  const began = process.hrtime.bigint();
  const output: Buffer[] = [];
  return new Promise(resolve => {
    let child: ChildProcess;
    let done = false;
    // A spawn error may be followed by 'close': report the task once.
    const finish = (code: number, note = '') => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      const text = Buffer.concat(output).toString('utf-8');
      write(`── ${task} ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s${note}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`);
      resolve({ task, code, seconds });
    };
    try {
      child = start(task, args);
    } catch (error) {
      finish(127, `: ${(error as Error).message}`);
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', error => finish(127, `: ${error.message}`));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1), signal ? ` (signal ${signal})` : ''));
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
