import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LAZY_MARKER, makeProjenExportsLazy, valueExportsOf } from '../../scripts/lazy-projen-exports';

const NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');
// Makes `projen` unresolvable, as in an app that never installed it.
const HIDE_PROJEN = `const Module = require('module'); const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'projen' || request.startsWith('projen/')) { const e = new Error("Cannot find module '" + request + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
  return resolve.call(this, request, ...rest);
};`;

const PREAMBLE = [
  '"use strict";',
  'var __exportStar = function (m, exports) { for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) ' +
    'Object.defineProperty(exports, p, { enumerable: true, get: function () { return m[p]; } }); };',
  'Object.defineProperty(exports, "__esModule", { value: true });',
];

/** A compiled lib: `constructs` loads without projen, `project` needs it through `project/tasks`. */
function fixture(extraIndexLines: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-exports-'));
  const files: Record<string, string> = {
    'index.js': [...PREAMBLE, ...extraIndexLines, '__exportStar(require("./constructs"), exports);', '__exportStar(require("./project/app"), exports);', ''].join('\n'),
    'index.d.ts': "export * from './constructs';\nexport * from './project/app';\n",
    'constructs.js': '"use strict";\nexports.Bucket = class Bucket {};\n',
    'constructs.d.ts': 'export declare class Bucket {}\n',
    'project/app.js': '"use strict";\nconst tasks = require("./tasks");\nexports.KIND = tasks.KIND;\nexports.App = class App { static kind() { return tasks.KIND; } };\nexports.Stage = { DEV: "dev" };\n',
    'project/app.d.ts': "export * from './tasks';\nexport interface AppOptions { readonly name: string }\nexport declare class App { static kind(): string }\nexport declare enum Stage { DEV = \"dev\" }\n",
    'project/tasks.js': '"use strict";\nconst projen = require("projen");\nexports.KIND = typeof projen.Project;\n',
    'project/tasks.d.ts': 'export declare const KIND: string;\nexport type TaskName = string;\n',
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function run(dir: string, script: string, hideProjen: boolean): string {
  const code = `${hideProjen ? HIDE_PROJEN : ''}\nconst lib = require(${JSON.stringify(dir)});\n${script}`;
  return execFileSync(process.execPath, ['-e', code], { env: { ...process.env, NODE_PATH: NODE_MODULES }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('makeProjenExportsLazy', () => {
  test('value exports come from the declarations, re-exports included, types left out', () => {
    const dir = fixture();
    expect(valueExportsOf(path.join(dir, 'project', 'app.d.ts'))).toEqual(['App', 'KIND', 'Stage']);
  });

  test('the entry loads without projen, and the project exports still resolve by name when projen is there', () => {
    const dir = fixture();
    expect(() => run(dir, 'lib.Bucket', true)).toThrow(/Cannot find module 'projen'/);
    expect(makeProjenExportsLazy(dir).lazy).toEqual([{ module: './project/app', names: ['App', 'KIND', 'Stage'] }]);
    expect(run(dir, 'console.log(typeof lib.Bucket, Object.keys(lib).sort().join())', true)).toBe('function App,Bucket,KIND,Stage');
    expect(run(dir, 'console.log(lib.App.kind(), lib.Stage.DEV, lib.KIND)', false)).toBe('function dev function');
  });

  test('using a project export without projen says what to install', () => {
    const dir = fixture();
    makeProjenExportsLazy(dir);
    expect(() => run(dir, 'lib.App', true)).toThrow(/App is part of the projen project type of fintech-infra-template and needs projen, which is not installed: npm install --save-dev projen\./);
  });

  test('a second run changes nothing', () => {
    const dir = fixture();
    makeProjenExportsLazy(dir);
    const once = fs.readFileSync(path.join(dir, 'index.js'), 'utf-8');
    expect(makeProjenExportsLazy(dir).lazy).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf-8')).toBe(once);
    expect(once.split('\n').filter(line => line.startsWith(LAZY_MARKER))).toHaveLength(1);
  });

  test('fails, naming the chain, when the entry needs projen some other way', () => {
    const dir = fixture(['const tasks = require("./project/tasks");']);
    expect(() => makeProjenExportsLazy(dir)).toThrow('lib/index.js still loads projen at load: project/tasks.js -> projen.');
  });
});
