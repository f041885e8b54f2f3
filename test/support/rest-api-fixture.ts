import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ProtectedRestApi, ProtectedRestApiProps } from '../../src/api/protected-rest-api';

/** An integration that needs no backend: API Gateway answers 200 itself. */
export const MOCK = new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200' }],
});

/** A ProtectedRestApi with one `GET /ping` method (an API needs a method to deploy a stage). */
export function api(stack: Stack, props: ProtectedRestApiProps = {}, id = 'PaymentsApi'): ProtectedRestApi {
  const created = new ProtectedRestApi(stack, id, props);
  created.root.addResource('ping').addMethod('GET', MOCK, { methodResponses: [{ statusCode: '200' }] });
  return created;
}
