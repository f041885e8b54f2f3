import { POWERTOOLS_LAYER_PARAMETER_PATH, powertoolsLayerParameter } from '../../src/facts/powertools-layer-parameter';

test('names the public SSM parameter of one Powertools version under the documented path', () => {
  expect(POWERTOOLS_LAYER_PARAMETER_PATH).toBe('/aws/service/powertools/typescript/generic/all');
  expect(powertoolsLayerParameter('2.35.0')).toBe('/aws/service/powertools/typescript/generic/all/2.35.0');
});
