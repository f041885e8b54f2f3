// Lambda as X-Ray sees it with active tracing; imported before anything that loads the Tracer or the X-Ray SDK.
import './handler-environment';

process.env.POWERTOOLS_TRACE_ENABLED = 'true';
process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
// The X-Ray SDK opens Lambda's facade segment when it loads under LAMBDA_TASK_ROOT, with this request's trace header.
process.env.LAMBDA_TASK_ROOT = '/var/task';
process.env._HANDLER = 'index.handler';
process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
