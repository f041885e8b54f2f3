import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GithubWorkflow } from 'projen/lib/github';
import { NodeProject } from 'projen/lib/javascript';
import { synthSnapshot } from 'projen/lib/util/synth';
import { pinned, PinnedActions, PINNED_ACTIONS, PINS_CHECKED, withVersionComments } from '../../src/project/pinned-actions';

const CHECKOUT = PINNED_ACTIONS.find(p => p.action === 'actions/checkout')!;
const SARIF = PINNED_ACTIONS.find(p => p.action === 'github/codeql-action/upload-sarif')!;

describe('pinned', () => {
  test('gives owner/repo@<sha> of the table', () => {
    expect(pinned('actions/checkout')).toBe(`actions/checkout@${CHECKOUT.sha}`);
    expect(pinned('github/codeql-action/upload-sarif')).toBe(`github/codeql-action/upload-sarif@${SARIF.sha}`);
  });

  test('refuses an action without a pin, saying where to add it', () => {
    expect(() => pinned('actions/cache')).toThrow(/"actions\/cache" has no pin; add it to PINNED_ACTIONS in src\/project\/pinned-actions\.ts/);
  });

  test('the table is dated', () => {
    expect(PINS_CHECKED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('withVersionComments', () => {
  test('comments the pinned actions of the table, at either position of a step', () => {
    const yaml = [
      'steps:',
      `  - uses: actions/checkout@${CHECKOUT.sha}`,
      '  - name: SARIF',
      `    uses: github/codeql-action/upload-sarif@${SARIF.sha}`,
      '',
    ].join('\n');
    expect(withVersionComments(yaml)).toBe([
      'steps:',
      `  - uses: actions/checkout@${CHECKOUT.sha} # ${CHECKOUT.version}`,
      '  - name: SARIF',
      `    uses: github/codeql-action/upload-sarif@${SARIF.sha} # ${SARIF.version}`,
      '',
    ].join('\n'));
  });

  test('leaves tags, unknown commits, commented lines and other keys alone, and is idempotent', () => {
    const yaml = [
      '  - uses: actions/checkout@v4',
      '  - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567',
      `  - uses: actions/checkout@${CHECKOUT.sha} # ${CHECKOUT.version}`,
      `    run: echo actions/checkout@${CHECKOUT.sha}`,
    ].join('\n');
    expect(withVersionComments(yaml)).toBe(yaml);
  });
});

describe('PinnedActions', () => {
  function project() {
    return new NodeProject({ name: 'p', defaultReleaseBranch: 'main', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pinned-actions-')) });
  }

  test('pins the actions of projen\'s own workflows and of added workflows, with the version as a comment', () => {
    const p = project();
    new PinnedActions(p, p.github!);
    const workflow = new GithubWorkflow(p.github!, 'extra');
    workflow.on({ workflowDispatch: {} });
    workflow.addJob('a', { runsOn: ['ubuntu-latest'], permissions: {}, steps: [{ uses: 'actions/checkout@v4' }] });
    const files = synthSnapshot(p);
    expect(files['.github/workflows/extra.yml']).toContain(`uses: actions/checkout@${CHECKOUT.sha} # ${CHECKOUT.version}\n`);
    expect(files['.github/workflows/build.yml']).toContain(`uses: actions/checkout@${CHECKOUT.sha} # ${CHECKOUT.version}\n`);
    expect(files['.github/workflows/build.yml']).not.toMatch(/uses: [^\n]*@v\d[^\n]*\n/);
  });

  test('an override set before it is kept', () => {
    const p = project();
    p.github!.actions.set('actions/checkout', 'actions/checkout@v4.2.2');
    new PinnedActions(p, p.github!);
    expect(synthSnapshot(p)['.github/workflows/build.yml']).toContain('uses: actions/checkout@v4.2.2\n');
  });
});
