export * from './config/platform-config';
export * from './stage/fintech-stage';
export * from './stage/physical-name';
export * from './stage/stage-removal-policy';
export * from './rules/fintech-checks';
export * from './project/fintech-cdk-app';
