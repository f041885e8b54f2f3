import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

/**
 * A fraud model's Step Functions tasks, as a risk team writes them: training in the VPC's isolated subnets, the model
 * (in the VPC too), its endpoint configuration and a batch scoring of the day's transactions, on one bucket of model
 * data. The training and model tasks create SageMaker execution roles of their own.
 */
export function fraudModelTasks(stack: Stack, vpc: ec2.IVpc): sfn.TaskStateBase[] {
  const data = new s3.Bucket(stack, 'ModelData');
  const image = tasks.DockerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-model:1.0.0');
  const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  return [
    new tasks.SageMakerCreateTrainingJob(stack, 'TrainFraudModel', {
      trainingJobName: 'fraud-model',
      algorithmSpecification: { trainingImage: image },
      inputDataConfig: [{ channelName: 'train', dataSource: { s3DataSource: { s3Location: tasks.S3Location.fromBucket(data, 'train/') } } }],
      outputDataConfig: { s3OutputLocation: tasks.S3Location.fromBucket(data, 'model/') },
      vpcConfig: { vpc, subnets },
    }),
    new tasks.SageMakerCreateModel(stack, 'CreateFraudModel', {
      modelName: 'fraud-model',
      primaryContainer: new tasks.ContainerDefinition({ image, modelS3Location: tasks.S3Location.fromBucket(data, 'model/model.tar.gz') }),
      vpc,
      subnetSelection: subnets,
    }),
    new tasks.SageMakerCreateEndpointConfig(stack, 'FraudEndpointConfig', {
      endpointConfigName: 'fraud-model',
      productionVariants: [{ initialInstanceCount: 1, instanceType: new ec2.InstanceType('m5.large'), modelName: 'fraud-model', variantName: 'primary' }],
    }),
    new tasks.SageMakerCreateTransformJob(stack, 'ScoreTransactions', {
      transformJobName: 'fraud-scoring',
      modelName: 'fraud-model',
      transformInput: { transformDataSource: { s3DataSource: { s3Uri: data.s3UrlForObject('transactions/') } } },
      transformOutput: { s3OutputPath: data.s3UrlForObject('scores/') },
    }),
  ];
}
