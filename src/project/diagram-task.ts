import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';

/** Where the `diagram` task writes the architecture page, relative to the project root. */
export const ARCHITECTURE_PAGE = 'docs/architecture.md';

/**
 * The `diagram` task: synthesizes the app, then draws each stack of one stage (the first environment of
 * .projenrc.ts) as a Mermaid flowchart (`fintech-diagram`) in docs/architecture.md, which GitHub renders.
 * The page is the user's to commit.
 */
export class DiagramTask extends Component {
  /**
   * @param stage the stage to draw; every stage has the same stacks. Without one, fintech-diagram draws the first
   *   stage of the cloud assembly, which orders stages by name.
   */
  constructor(project: AwsCdkTypeScriptApp, stage?: string) {
    super(project);
    const task = project.addTask('diagram', {
      description: `Synthesizes the app and draws each stack of ${stage ? `the ${stage} stage` : 'one stage'}, with how data moves between its resources, as Mermaid in ${ARCHITECTURE_PAGE}`,
    });
    task.spawn(project.cdkTasks.synthSilent);
    task.exec(`fintech-diagram --app ${project.cdkConfig.cdkout}${stage ? ` --stage ${stage}` : ''} --out ${ARCHITECTURE_PAGE}`);
  }
}
