import { emulatorNotice, endpointOverrides } from '../../src/cli/endpoint-override';

describe('endpointOverrides', () => {
  test('finds AWS_ENDPOINT_URL and its per-service forms, in name order, and nothing else', () => {
    expect(endpointOverrides({
      AWS_ENDPOINT_URL_SSM: 'http://localhost:5001',
      AWS_ENDPOINT_URL: 'http://localhost:5000',
      AWS_ENDPOINT_URL_STS: '',
      AWS_REGION: 'us-east-1',
      MY_AWS_ENDPOINT_URL: 'http://elsewhere',
    })).toEqual([{ name: 'AWS_ENDPOINT_URL', url: 'http://localhost:5000' }, { name: 'AWS_ENDPOINT_URL_SSM', url: 'http://localhost:5001' }]);
    expect(endpointOverrides({})).toEqual([]);
  });

  test('is empty when the SDK is told to ignore them', () => {
    expect(endpointOverrides({ AWS_ENDPOINT_URL: 'http://localhost:5000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual([]);
  });
});

describe('emulatorNotice', () => {
  test('is one line naming the variables and their URLs', () => {
    expect(emulatorNotice('fintech-deploy', { AWS_ENDPOINT_URL: 'http://localhost:4566' }))
      .toBe('fintech-deploy: AWS_ENDPOINT_URL=http://localhost:4566 is set: targeting an emulator, not AWS');
    expect(emulatorNotice('fintech-integ', { AWS_ENDPOINT_URL_STS: 'http://a', AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://b' }))
      .toBe('fintech-integ: AWS_ENDPOINT_URL_CLOUDFORMATION=http://b, AWS_ENDPOINT_URL_STS=http://a are set: targeting an emulator, not AWS');
    expect(emulatorNotice('fintech-deploy', { AWS_REGION: 'eu-west-1' })).toBeUndefined();
  });
});
