import * as fs from 'fs';
import * as path from 'path';
import { renderTaggableTypes } from '../../scripts/taggable-types';
import { TAGGABLE_TYPES } from '../../src/facts/taggable-types';

describe('TAGGABLE_TYPES', () => {
  test('is what scripts/taggable-types.ts renders from the installed aws-cdk-lib\'s L1 classes', () => {
    const file = path.join(__dirname, '..', '..', 'src', 'facts', 'taggable-types.ts');
    expect(fs.readFileSync(file, 'utf-8')).toBe(renderTaggableTypes());
  });

  test('names the tag property and its form as the L1 classes take them, and no type that takes no tags', () => {
    const of = (type: string) => TAGGABLE_TYPES[type] && `${TAGGABLE_TYPES[type].property} ${TAGGABLE_TYPES[type].form}`;
    expect(of('AWS::S3::Bucket')).toBe('Tags list');
    expect(of('AWS::CodeBuild::Project')).toBe('Tags list');
    expect(of('AWS::SSM::Parameter')).toBe('Tags map');
    expect(of('AWS::EFS::FileSystem')).toBe('FileSystemTags list');
    expect(of('AWS::Cognito::UserPool')).toBe('UserPoolTags map');
    expect(of('AWS::AutoScaling::AutoScalingGroup')).toBe('Tags list');
    for (const untaggable of ['AWS::IAM::Policy', 'AWS::SQS::QueuePolicy', 'AWS::Lambda::Permission', 'AWS::SNS::TopicPolicy', 'AWS::ApiGateway::Method']) {
      expect([untaggable, of(untaggable)]).toEqual([untaggable, undefined]);
    }
    expect(Object.keys(TAGGABLE_TYPES).length).toBeGreaterThan(1000);
  });
});
