import { spawn } from 'child_process';
import { main, TaskStarter } from '../../src/cli/fintech-parallel';

/** Tasks played by small node scripts: `ok`, `fail`, `slow` (prints twice, 300 ms apart), `echo` (prints its args). */
const SCRIPTS: { [task: string]: string } = {
  ok: 'console.log("ok out"); console.error("ok err");',
  fail: 'console.log("fail out"); process.exit(3);',
  slow: 'console.log("slow 1"); setTimeout(() => console.log("slow 2"), 300);',
  echo: 'console.log("args:", process.argv.slice(1).join(" "));',
};

const starter: TaskStarter = (task, args) => {
  if (!(task in SCRIPTS)) throw new Error(`no task ${task}`);
  return spawn(process.execPath, ['-e', SCRIPTS[task], '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
};

describe('fintech-parallel', () => {
  let output: string;
  let errors: string[];
  const write = (text: string) => { output += text; };
  beforeEach(() => {
    output = '';
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
  });
  afterEach(() => jest.restoreAllMocks());

  test('runs the tasks at once and prints each one\'s output in one block, in the order they end', async () => {
    const started = Date.now();
    expect(await main(['slow,ok'], starter, write)).toBe(0);
    expect(Date.now() - started).toBeLessThan(2500);
    const blocks = output.split(/^── /m).filter(Boolean);
    expect(blocks.map(b => b.split('\n')[0])).toEqual([expect.stringMatching(/^ok passed in \d+\.\d s$/), expect.stringMatching(/^slow passed in \d+\.\d s$/)]);
    expect(blocks[0]).toContain('ok out\nok err\n');
    expect(blocks[1]).toContain('slow 1\nslow 2\n');
    expect(errors).toEqual([]);
  });

  test('fails when any task fails, naming it, after every task has ended', async () => {
    expect(await main(['fail,slow'], starter, write)).toBe(1);
    expect(output).toMatch(/^── fail failed \(exit 3\) in \d+\.\d s\nfail out\n/m);
    expect(output).toContain('── slow passed');
    expect(errors).toEqual([expect.stringMatching(/^fintech-parallel: fail failed \(exit 3\); 1 of 2 tasks passed\./)]);
  });

  test('passes the extra arguments to the first task only', async () => {
    expect(await main(['echo,ok', '-t', 'receiver'], starter, write)).toBe(0);
    expect(output).toContain('args: -t receiver\n');
  });

  test('a task that cannot start fails with the reason', async () => {
    expect(await main(['missing,ok'], starter, write)).toBe(1);
    expect(output).toContain('── missing failed (exit 127) in');
    expect(output).toContain(': no task missing');
  });

  test('prints the usage without tasks', async () => {
    expect(await main([], starter, write)).toBe(2);
    expect(await main(['--help'], starter, write)).toBe(2);
    expect(errors.join('\n')).toContain('usage: fintech-parallel <task>,<task>');
  });
});
