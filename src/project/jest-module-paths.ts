import { Project, javascript } from 'projen';

/**
 * Keeps jest's file crawl out of folders that other tasks rewrite while jest runs (`test` runs jest beside `integ:verify`
 * and `synth:silent`). The crawl lists every file under the project and reads each `package.json` it listed (bundled
 * assets carry one); a folder deleted in between fails the whole jest run with ENOENT. `patterns` are regular expressions
 * (`<rootDir>` allowed) added to the user's `modulePathIgnorePatterns`, never replacing them. Nothing happens in a project
 * without jest.
 */
export function keepJestOutOf(project: Project, ...patterns: string[]): void {
  const jest = javascript.Jest.of(project);
  if (!jest) return;
  const existing: unknown = jest.config.modulePathIgnorePatterns;
  jest.config.modulePathIgnorePatterns = [...new Set([...Array.isArray(existing) ? existing : [], ...patterns])];
}

/** A project-relative folder as a `modulePathIgnorePatterns` entry: `<rootDir>/<folder>/`, its characters taken literally. */
export function folderPattern(folder: string): string {
  const relative = folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  return `<rootDir>/${relative.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`;
}
