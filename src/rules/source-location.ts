import * as path from 'path';
import { IConstruct } from 'constructs';

/** Where the user's code created a construct. */
export interface SourceLocation {
  /** File path, relative to the working directory when inside it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

const CREATION_STACK = 'aws:cdk:creationStack';
// A rendered frame: `new LedgerStack (/repo/src/ledger-stack.ts:12:5)` or `/repo/src/main.ts:4:1`.
const FRAME = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?$/;

/**
 * The first frame of user code in the creation stack CDK records on every `CfnElement`
 * (CDK collapses its own and other packages' frames into `...` entries), so reports can point
 * at the line that created the resource; undefined when CDK recorded none.
 */
export function sourceLocationOf(construct: IConstruct | undefined, cwd: string = process.cwd()): SourceLocation | undefined {
  const entry = construct?.node.metadata.find(m => m.type === CREATION_STACK);
  const frames = Array.isArray(entry?.data) ? entry!.data as unknown[] : [];
  for (const frame of frames) {
    // Node's own frames (`node:internal/...`) are never user code; the drive-letter part of FRAME would misread them.
    if (typeof frame !== 'string' || frame.startsWith('...') || /(^|\()node:/.test(frame.trim())) continue;
    const match = FRAME.exec(frame.trim());
    if (!match || match[1].includes(`${path.sep}node_modules${path.sep}`)) continue;
    const relative = path.relative(cwd, match[1]);
    const file = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : match[1];
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}
