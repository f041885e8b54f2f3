import { JsonFile, Project } from 'projen';
import { FintechPlatformConfig } from '../config/platform-config';

/**
 * The managed `src/fintech.config.json` of a generated repo: the platform options of
 * `.projenrc.ts`, materialised once for the CDK app (`FintechStage.fromConfig`) to read.
 * Regenerated on every `npx projen`; edit `.projenrc.ts`, never this file.
 */
export class FintechConfigFile extends JsonFile {
  /** Path of the file, relative to the project root. */
  public static readonly PATH = 'src/fintech.config.json';

  constructor(project: Project, config: FintechPlatformConfig) {
    super(project, FintechConfigFile.PATH, {
      obj: config,
      marker: true,
      readonly: true,
      newline: true,
    });
  }
}
