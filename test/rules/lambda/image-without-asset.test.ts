import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ImageWithoutAsset } from '../../../src/rules/lambda/image-without-asset';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C20 = ImageWithoutAsset.INFO.id;

function c20(app: App) {
  return findingsOf(app, [C20]);
}

function imageFunction(stack: Stack, id: string, imageUri: string) {
  return new lambda.CfnFunction(stack, id, { role: 'arn:aws:iam::123456789012:role/fn', packageType: 'Image', code: { imageUri } });
}

describe('Fintech-C20-ImageWithoutAsset', () => {
  test('passes an image asset and an ECR image pinned by digest, warns on an ECR image referenced by tag', () => {
    const dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-'));
    fs.writeFileSync(path.join(dockerDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
    const { app, stack } = shop();
    new lambda.DockerImageFunction(stack, 'Asset', { code: lambda.DockerImageCode.fromImageAsset(dockerDir) });
    const repo = new ecr.Repository(stack, 'Repo');
    new lambda.DockerImageFunction(stack, 'Tagged', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
    new lambda.DockerImageFunction(stack, 'Pinned', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'sha256:0123456789abcdef' }) });
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/Tagged/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/Code/ImageUri'],
      message: expect.stringMatching(/^AWS::Lambda::Function Tagged[0-9A-F]{8} runs an image referenced by tag "v1", not a CDK image asset/),
      fix: expect.stringContaining('DockerImageCode.fromImageAsset'),
    });
  });

  test('judges literal URIs of L1 functions: tag or no tag warns, a digest passes, zip functions are not judged', () => {
    const { app, stack } = shop();
    imageFunction(stack, 'Latest', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:latest');
    imageFunction(stack, 'Bare', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments');
    imageFunction(stack, 'Digest', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments@sha256:0123456789abcdef');
    new lambda.CfnFunction(stack, 'Zip', { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'nodejs22.x' });
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/Bare`, `${C20} Shop/Latest`]);
    expect(findings.find(f => f.logicalId === 'Bare')!.message).toContain('referenced by a URI without tag or digest');
  });

  test('reads subs and joins, passes assets of a synthesizer with its own repository and tag prefix, warns on a tag in a repository named like the assets\'', () => {
    const dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-'));
    fs.writeFileSync(path.join(dockerDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
    const app = testApp();
    const stack = new Stack(app, 'Shop', {
      synthesizer: new DefaultStackSynthesizer({ imageAssetsRepositoryName: 'platform-images', dockerTagPrefix: 'payments-' }),
    });
    new lambda.DockerImageFunction(stack, 'CustomAsset', { code: lambda.DockerImageCode.fromImageAsset(dockerDir) });
    imageFunction(stack, 'SubLatest', Fn.sub('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/payments:latest'));
    imageFunction(stack, 'SubDigest', Fn.sub('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/payments@sha256:0123456789abcdef'));
    imageFunction(stack, 'SubTagParameter', Fn.sub('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/payments:${Tag}', { Tag: Fn.importValue('Tag') }));
    imageFunction(stack, 'NamedLikeAssets', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team-container-assets:stable');
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/NamedLikeAssets`, `${C20} Shop/SubLatest`]);
    expect(findings.find(f => f.logicalId === 'SubLatest')!.message).toContain('runs an image referenced by tag "latest"');
  });

  test('catches an escape hatch that swaps the asset for a tagged image', () => {
    const dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-'));
    fs.writeFileSync(path.join(dockerDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
    const { app, stack } = shop();
    const fn = new lambda.DockerImageFunction(stack, 'Swapped', { code: lambda.DockerImageCode.fromImageAsset(dockerDir) });
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Code.ImageUri', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:main');
    expect(lines(c20(app))).toEqual([`${C20} Shop/Swapped/Resource`]);
  });

  test('treats URIs from parameters and intrinsic code as unknown, and odd shapes as nothing to judge', () => {
    const { app, stack } = shop();
    imageFunction(stack, 'FromParameter', new CfnParameter(stack, 'ImageUri').valueAsString);
    imageFunction(stack, 'IfCode', 'x').addPropertyOverride('Code', { 'Fn::If': ['C', {}, {}] });
    imageFunction(stack, 'NoCode', 'x').addPropertyDeletionOverride('Code');
    imageFunction(stack, 'OddUri', 'x').addPropertyOverride('Code.ImageUri', { 'Fn::Join': ['', []] });
    imageFunction(stack, 'OddPackage', 'x').addPropertyOverride('PackageType', { Ref: 'PackageType' });
    expect(c20(app)).toEqual([]);
  });
});
