import * as fs from 'fs';
import { OPTIONS_DOC, readManifest, renderOptionsReference } from '../../scripts/write-options-doc';

describe('docs/options.md', () => {
  // .jsii is written by `compile`, which `build` runs before the tests.
  const manifest = readManifest();
  const page = renderOptionsReference(manifest);

  test('is what the jsii manifest renders (the build regenerates it: npx projen docs:options)', () => {
    expect(fs.readFileSync(OPTIONS_DOC, 'utf-8')).toBe(page);
  });

  test('lists every own option of FintechCdkAppOptions and every FintechEnvironment field, required ones as required', () => {
    for (const type of ['FintechCdkAppOptions', 'FintechEnvironment']) {
      for (const property of manifest.types[`fintech-infra-template.${type}`].properties ?? []) {
        expect(page).toContain(`| \`${property.name}\` | `);
      }
    }
    expect(page).toMatch(/\| `alarmEmail` \| string \| \*\*required\*\* \|/);
    expect(page).toMatch(/\| `blueprints` \| string\[\] \| optional \| \['payment-webhook'\] \|/);
    expect(page).toMatch(/\| `deployRoleArn` \| string \| optional \| the workflow does not deploy this stage \|/);
  });
});
