import { Component, IResolver, Project } from 'projen';
import type { GitHub } from 'projen/lib/github';

/** A third-party GitHub Action the generated workflows use, pinned to one commit. */
export interface PinnedAction {
  /** The action as written after `uses:`, without a ref: `owner/repo`, or `owner/repo/path` for an action in a subfolder. */
  readonly action: string;
  /** The release tag the commit carries; written as a comment after the pin, where Dependabot and Renovate update it. */
  readonly version: string;
  /** The full 40-hex commit SHA of that tag. */
  readonly sha: string;
}

/**
 * When the pins below were last checked. Each SHA is the commit `git rev-parse <tag>^{commit}` gives in a clone of the
 * action's repository, except actions/upload-artifact v7.0.1, whose tag was not in the clone checked: its SHA is the one
 * projen 0.103.25 pins (`ActionRefs.ACTIONS_UPLOAD_ARTIFACT`) and public workflows write as `# v7.0.1`.
 */
export const PINS_CHECKED = '2026-12-03';

/**
 * Every third-party action of the generated workflows, projen's own included (OpenSSF Scorecard's
 * Pinned-Dependencies check reads every workflow file). To update, change version and sha here, in this one place.
 */
export const PINNED_ACTIONS: readonly PinnedAction[] = [
  { action: 'actions/checkout', version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  { action: 'actions/setup-node', version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  { action: 'actions/upload-artifact', version: 'v7.0.1', sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a' },
  { action: 'actions/download-artifact', version: 'v8.0.1', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  { action: 'actions/github-script', version: 'v8.0.0', sha: 'ed597411d8f924073f98dfc5c65a23a2325f34cd' },
  { action: 'aws-actions/configure-aws-credentials', version: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
  { action: 'github/codeql-action/upload-sarif', version: 'v4.36.2', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e' },
  // projen's pull-request-lint and upgrade workflows.
  { action: 'amannn/action-semantic-pull-request', version: 'v6.1.1', sha: '48f256284bd46cdaab1048c3721360e808335d50' },
  { action: 'peter-evans/create-pull-request', version: 'v8.1.1', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1' },
];

/** `uses:` value of a pinned action: `actions/checkout@<sha>`. */
export function pinned(action: string): string {
  const pin = PINNED_ACTIONS.find(p => p.action === action);
  if (!pin) {
    throw new Error(`pinned-actions: "${action}" has no pin; add it to PINNED_ACTIONS in src/project/pinned-actions.ts with its release tag and commit SHA`);
  }
  return `${pin.action}@${pin.sha}`;
}

// `uses: owner/repo[/path]@<40 hex>` as projen's YAML renders it (a step's first key or a later one).
const PINNED_USES = /^(\s*(?:- )?uses: )([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40})$/;

/** Adds `# <version>` after every `uses:` of a pinned action in a rendered workflow; other lines stay as they are. */
export function withVersionComments(yaml: string): string {
  return yaml.split('\n').map(line => {
    const match = PINNED_USES.exec(line);
    const pin = match && PINNED_ACTIONS.find(p => p.action === match[2] && p.sha === match[3]);
    return pin ? `${line} # ${pin.version}` : line;
  }).join('\n');
}

/**
 * Pins every action of every workflow of the project to the commit in `PINNED_ACTIONS`, with the version as a comment
 * (`uses: actions/checkout@<sha> # v7.0.1`): projen's own workflows (build, upgrade, pull-request-lint) through
 * projen's action overrides (`project.github.actions`), set only for actions the project does not override already,
 * so a `project.github.actions.set(...)` in `.projenrc.ts` still wins; and the version comments on every workflow file.
 */
export class PinnedActions extends Component {
  private readonly github: GitHub;

  constructor(project: Project, github: GitHub) {
    super(project);
    this.github = github;
    for (const pin of PINNED_ACTIONS) {
      if (github.actions.get(pin.action) === pin.action) github.actions.set(pin.action, `${pin.action}@${pin.sha}`);
    }
  }

  /** Runs when every workflow exists (components and `.projenrc.ts` add them in their constructors). */
  public preSynthesize(): void {
    for (const workflow of this.github.workflows) {
      const file = workflow.file as unknown as { synthesizeContent(resolver: IResolver): string | undefined } | undefined;
      if (!file) continue;
      // projen renders workflows as JSON turned into YAML, which has no comments, and offers no hook after rendering:
      // the comment is added to this file's rendered text, the only place it can go.
      const render = file.synthesizeContent.bind(file);
      file.synthesizeContent = resolver => {
        const text = render(resolver);
        return text === undefined ? undefined : withVersionComments(text);
      };
    }
  }
}
