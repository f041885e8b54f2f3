import * as fs from 'fs';
import * as path from 'path';

// The image is built at deploy time only (unit tests never run Docker): these checks read what the build will do.
const APP = path.join(__dirname, '..', '..', 'src', 'app');
const dockerfile = fs.readFileSync(path.join(APP, 'Dockerfile'), 'utf-8');
const instructions = dockerfile.replace(/\s*\\\n\s*/g, ' ').split('\n').map(line => line.trim()).filter(line => line && !line.startsWith('#'));
const stages = instructions.join('\n').split(/^(?=FROM )/m).map(stage => stage.trim().split('\n'));

describe('Dockerfile', () => {
  test('builds in one stage and runs in another, both on node:22-alpine', () => {
    expect(stages.map(stage => stage[0])).toEqual(['FROM node:22-alpine AS build', 'FROM node:22-alpine']);
  });

  test('installs exactly the lock file\'s dependencies and bundles with the package\'s build script', () => {
    const build = stages[0];
    expect(build).toContain('COPY package.json package-lock.json ./');
    expect(build).toContain('RUN npm ci --ignore-scripts --no-audit --no-fund');
    expect(build).toContain('RUN npm run build');
    expect(build.indexOf('RUN npm ci --ignore-scripts --no-audit --no-fund')).toBeLessThan(build.indexOf('COPY *.ts ./'));
  });

  test('the run stage holds only the bundle and the RDS certificate authorities, runs as a non-root user, on 8080, with a health check', () => {
    const run = stages[1];
    expect(run.filter(line => line.startsWith('COPY'))).toEqual(['COPY --from=build /build/dist/ ./']);
    expect(stages[0]).toContain('ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem dist/rds-global-bundle.pem');
    // ADD writes a downloaded file readable by root only; the node user must read it.
    expect(stages[0]).toContain('RUN chmod 0444 dist/rds-global-bundle.pem');
    expect(run).toContain('ENV NODE_ENV=production PORT=8080 DATABASE_CA_BUNDLE=/app/rds-global-bundle.pem');
    expect(run).toContain('USER node');
    expect(run.indexOf('USER node')).toBeLessThan(run.findIndex(line => line.startsWith('CMD')));
    expect(run.filter(line => line.startsWith('RUN'))).toEqual([]);
    expect(run).toContain('EXPOSE 8080');
    expect(run.find(line => line.startsWith('HEALTHCHECK'))).toMatch(/CMD wget -q -O \/dev\/null http:\/\/127\.0\.0\.1:8080\/health\/live \|\| exit 1$/);
    expect(run[run.length - 1]).toBe('CMD ["node", "--enable-source-maps", "server.js"]');
  });

  test('the build script writes the file the run stage starts', () => {
    const script: string = JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf-8')).scripts.build;
    expect(script).toMatch(/^esbuild main\.ts --bundle --platform=node --target=node22 .*--outfile=dist\/server\.js$/);
  });
});

describe('.dockerignore', () => {
  test('sends only the Dockerfile, the package files and the sources: synth copies this folder into cdk.out', () => {
    const patterns = fs.readFileSync(path.join(APP, '.dockerignore'), 'utf-8').split('\n').filter(line => line && !line.startsWith('#'));
    expect(patterns).toEqual(['*', '!Dockerfile', '!package.json', '!package-lock.json', '!*.ts']);
    const sent = fs.readdirSync(APP).filter(file => ['Dockerfile', 'package.json', 'package-lock.json'].includes(file) || file.endsWith('.ts'));
    expect(sent.sort()).toEqual(fs.readdirSync(APP).filter(file => file !== '.dockerignore').sort());
  });
});

describe('package-lock.json', () => {
  test('locks exactly the versions package.json pins', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf-8'));
    const lock = JSON.parse(fs.readFileSync(path.join(APP, 'package-lock.json'), 'utf-8'));
    expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
    expect(lock.packages[''].devDependencies).toEqual(manifest.devDependencies);
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      expect(lock.packages[`node_modules/${name}`].version).toBe(version);
    }
    for (const [name, entry] of Object.entries<{ integrity?: string }>(lock.packages)) {
      if (name) expect({ name, integrity: entry.integrity }).toEqual({ name, integrity: expect.stringMatching(/^sha512-/) });
    }
  });
});
