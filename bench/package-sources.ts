import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/**
 * Makes `require('fintech-infra-template')` (and `fintech-infra-template/lib/<module>`) load this package's sources, as
 * the blueprints import them in a generated repo, so a bench can load a blueprint's stack here. Call it before
 * requiring the blueprint.
 */
export function resolvePackageToSources(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const moduleApi = require('module');
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function (request: string, ...rest: unknown[]) {
    const mapped = request === 'fintech-infra-template' ? path.join(SRC, 'index.ts')
      : request.startsWith('fintech-infra-template/lib/') ? path.join(SRC, request.slice('fintech-infra-template/lib/'.length))
        : request;
    return resolve.call(this, mapped, ...rest);
  };
}
