import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { PhysicalName, SecureRepository } from '../src';
import { integStage } from './integ-stage';

// A SecureRepository as ECR sees it: IMMUTABLE tags, scan on push, KMS with its own key, the lifecycle policy, and
// the replication rule in the registry. Replication is registry-wide: deploying this test replaces the replication
// configuration of the test account's us-east-1 registry (and deleting it empties that configuration).
const app = new App();
const stage = integStage(app, 'images');
const stack = new Stack(stage, 'SecureRepository');
// The integ stage has no account, so no replica regions of its own: the prop names one, and ECR creates the replica
// (replica repositories need the account at synth; the unit tests cover them).
const repository = new SecureRepository(stack, 'Images', { nameBase: 'images', replicaRegions: ['us-west-2'], replicaRepositories: false });

// Assertions name the repository and key by physical name: a token would be a reference across the stage boundary.
const repositoryName = PhysicalName.of(repository, 'images');
const keyAlias = repository.dataKey.aliasName;
const integ = new IntegTest(app, 'SecureRepositoryInteg', { testCases: [stack], regions: [stage.environment.region] });

const key = integ.assertions.awsApiCall('KMS', 'describeKey', { KeyId: keyAlias });
key.next(integ.assertions
  .awsApiCall('ECR', 'describeRepositories', { repositoryNames: [repositoryName] })
  .expect(ExpectedResult.objectLike({
    repositories: [Match.objectLike({
      repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: key.getAttString('KeyMetadata.Arn') },
    })],
  })));

integ.assertions
  .awsApiCall('ECR', 'getLifecyclePolicy', { repositoryName })
  .expect(ExpectedResult.objectLike({
    repositoryName,
    lifecyclePolicyText: Match.serializedJson(Match.objectLike({
      rules: [
        Match.objectLike({ selection: Match.objectLike({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 }) }),
        Match.objectLike({ selection: Match.objectLike({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 200 }) }),
      ],
    })),
  }));

integ.assertions
  .awsApiCall('ECR', 'describeRegistry', {})
  .expect(ExpectedResult.objectLike({
    replicationConfiguration: {
      rules: Match.arrayWith([Match.objectLike({
        destinations: [Match.objectLike({ region: 'us-west-2' })],
        repositoryFilters: [{ filter: repositoryName, filterType: 'PREFIX_MATCH' }],
      })]),
    },
  }));

app.synth();
