import { RuleControls, RuleInfo } from './rule-info';

/** Renders docs/rules.md from the rules' own metadata, so the reference cannot drift from the pack. */
export function renderRulesReference(rules: readonly RuleInfo[]): string {
  const byClass = new Map<string, RuleInfo[]>();
  for (const rule of rules) byClass.set(rule.catalogId, [...(byClass.get(rule.catalogId) ?? []), rule]);
  const sections = [...byClass.keys()].sort().map(catalogId => [
    `## ${catalogId}`,
    '',
    ...byClass.get(catalogId)!.flatMap(rule => [
      `### \`${rule.id}\``,
      '',
      `${rule.title}. Severity: ${rule.defaultSeverity}. ${rule.acknowledgeableInDurableStages
        ? 'Can be acknowledged in every stage.'
        : 'Cannot be acknowledged in durable stages.'}`,
      '',
      `- Why: ${rule.description}`,
      `- Fix: ${rule.fix}`,
      `- Controls: ${controlsLine(rule.controls)}`,
      '',
    ]),
  ].join('\n'));
  return [
    '<!-- Generated from the rules\' metadata by `npx projen docs:rules` (part of every build); do not edit. -->',
    '# FintechChecks rules',
    '',
    `${rules.length} rules. Acknowledge one finding on one construct with`,
    '`Validations.of(construct).acknowledge({ id: \'<rule id>\', reason: \'...\' })`; see README.md.',
    '',
    'Every rule judges the same code the same way wherever its template comes from: a stack, a nested stack, a stack in a',
    'stage inside a stage, or raw templates included with `CfnInclude`, a nested stack\'s too (`test/rules/shapes` runs code',
    'that fails each rule, and the same code done right, in each of these, and with what the code shares in another stack).',
    '',
    'Alarms and what they watch, dead-letter queues, deliveries into queues, topics and functions, event source mappings and',
    'their sources, state machine tasks and their functions, encrypted resources and their keys, and databases and functions',
    'with the subnets, routes and endpoints of their VPC are related across the stacks of one stage too: through a nested',
    'stack\'s parameters and outputs, and through exports (`Fn::ImportValue`). TLS-only resource policies, web ACL',
    'associations and security group ingress rules written in one stack count for the resources of another.',
    '',
    'Findings on what CDK or a construct library creates for itself are warnings that name the construct it was created for,',
    'never errors: the functions (with the log group CDK gives each under @aws-cdk/aws-lambda:useCdkManagedLogGroup), roles',
    'and policies of CDK\'s own custom-resource providers (S3 auto-delete, log retention,',
    'bucket notifications, AwsCustomResource, a BucketDeployment\'s handler, a custom-resources Provider\'s framework functions',
    'and waiter state machine, integ-tests-alpha\'s assertion providers and the waiter state machines of assertions that',
    'wait for their result), everything in the nested stacks CDK adds once per stack for a library\'s providers, whether a',
    'custom resource uses them yet or not (ids starting `@aws-cdk/`: an EKS cluster\'s cluster-resource and kubectl providers,',
    'a DynamoDB global table\'s replica provider), and the',
    'policy of an AwsCustomResource that a library construct makes inside itself (`opensearch.Domain`\'s log-group resource',
    'policy). So are findings on the resources a construct creates with values none of its props set, and on the statements',
    'it writes into roles it creates, listed one by one in `src/facts/library-internals.ts` and checked against aws-cdk-lib by',
    'a test: the removal policy of CodePipeline\'s artifact bucket and key, of the stores a construct creates with their class\'s',
    'defaults when the app passes none of its own (a flow log\'s log group or bucket, the log group of an awslogs driver a',
    'container or a service\'s Service Connect proxy uses, the key a bucket, queue, table or stream creates for customer-managed',
    'encryption, a CloudFront distribution\'s log bucket, a Synthetics canary\'s artifacts bucket, a CloudTrail trail\'s bucket and',
    'log group, an OpenSearch domain\'s log groups, an EMR on EKS job\'s monitoring bucket and log group, a custom-resources',
    'Provider\'s waiter log group), and of the master secret an RDS cluster or instance',
    'or a DocumentDB cluster generates and of an OpenSearch domain\'s master user secret (other rules still judge them as the',
    'app\'s, since props set the rest), its',
    'cross-region support stacks\' replication bucket and key, and the statements on `Resource: "*"` (and service wildcards) of',
    'CDK Pipelines\' self-mutation and asset publishing roles, of the pipeline role for those keys, of a BastionHostLinux\'s',
    'instance role for Session Manager, of a (deprecated) DnsValidatedCertificate\'s',
    'requestor, those Step Functions tasks (EcsRunTask run to completion, Athena\'s query tasks, SageMaker\'s, EmrCreateCluster and',
    'MediaConvertCreateJob) write into the role of their state machine (action by action, so statements CDK merges split too;',
    'an action no task of the app writes stays the app\'s), those an ECS cluster writes',
    'into the instance role of the EC2 capacity it takes (an AsgCapacityProvider\'s',
    'group or one `addCapacity` creates) and the tracing, failure destination, sizing and alarms of the drain hook function it',
    'adds to capacity without managed draining (and its lifecycle topic\'s TLS-only policy), the CloudFront invalidation a',
    'BucketDeployment writes into a role the app passes it,',
    'a CodeBuild project\'s VPC policy, an AppConfig environment\'s alarm role, the VPC CNI plugin\'s IPv6 statement in the',
    'node role an EKS managed node group creates, an EKS cluster\'s creation role (and the tags',
    'of its kubectl barrier, a raw SSM parameter) and the IAM policy AWS publishes for the AWS Load Balancer Controller, which',
    'an EKS cluster\'s `albController` gives its service account, and the `dynamodb:*` policy a table with',
    '`replicationRegions` attaches to the role of CDK\'s replica provider, and the replication role a bucket with',
    '`replicationRules` creates (its fixed name, and a destination key of another region or account granted on `*`). Three more are found from what the templates',
    'show, since no construct holds them: the statements the ECS deploy actions of a CDK `codepipeline.Pipeline` write into',
    'the role their action runs with (`LIBRARY_PIPELINE_ACTIONS`), and those `ecs.obtainDefaultFluentBitECRImage` writes into',
    'the roles of a task definition whose FireLens router runs its image, with the retention and removal of the log group of',
    'the router a task definition adds for a FireLens container (`LIBRARY_FLUENT_BIT`; that router and its execution role,',
    'created while CDK synthesizes, miss the tags of `Tags.of` aspects under @aws-cdk/core:explicitStackTags, a warning when the',
    'task definition has them), and those an ECS service with',
    '`enableExecuteCommand` writes into its task role for the session logs (`LIBRARY_EXECUTE_COMMAND`). Also: the target of an aws-ecs-patterns scheduled task\'s rule and',
    'of the rule a CodePipeline S3 (trigger EVENTS) or ECR source action adds to start its pipeline, or a response-only',
    'LambdaDestination adds to reach its function (no dead-letter queue or',
    'retry policy, which none of their props sets); and the log-group resource policy an EventBridge',
    'CloudWatch Logs target writes through an AwsCustomResource in the log group\'s stack. So are findings on a function a',
    'library adds to the stack and runs with the workload, whose settings none of its props reach (`LIBRARY_FUNCTIONS`: the',
    'spam filter of an SES receipt rule set with `dropSpam`, the auto-approve function of a CDK Pipelines',
    '`ConfirmPermissionsBroadening` step, and the function of an `events-targets.AwsApi` target, whose rule targets get',
    'no dead-letter queue or retry policy either, while its statements, which `policyStatement` scopes, stay the app\'s),',
    'naming what calls it, and the statements of that step\'s security check project\'s',
    'role. An AwsCustomResource created in',
    'the app\'s own stacks and constructs, a step the app adds to a pipeline, and any other action the app adds to such a role',
    'are the app\'s code and are judged as such.',
    '',
    ...sections,
    renderControlsSection(rules),
  ].join('\n');
}

/** `Control Tower CT.S3.PR.1; PCI DSS v4.0 1.4.4. <note>`, or `none. <note>`. */
function controlsLine(controls: RuleControls | undefined): string {
  if (!controls) return 'not mapped yet.';
  const parts = [
    ...(controls.controlTower.length > 0 ? [`Control Tower ${controls.controlTower.join(', ')}`] : []),
    ...(controls.pciDss.length > 0 ? [`PCI DSS v4.0 ${controls.pciDss.join(', ')}`] : []),
  ];
  return `${parts.length > 0 ? parts.join('; ') : 'none'}.${controls.note ? ` ${controls.note}` : ''}`;
}

/**
 * The rules by control, both ways an auditor asks: which rules serve a PCI DSS requirement, and which Control Tower
 * proactive control a rule checks at synth (so a team running both knows where they overlap).
 */
function renderControlsSection(rules: readonly RuleInfo[]): string {
  const byControlTower = indexBy(rules, rule => rule.controls?.controlTower ?? []);
  const byPci = indexBy(rules, rule => rule.controls?.pciDss ?? []);
  const unmapped = rules.filter(rule => rule.controls && rule.controls.controlTower.length === 0 && rule.controls.pciDss.length === 0);
  return [
    '## Controls and overlap with Control Tower Guard rules',
    '',
    'Every rule names the controls it helps meet (`RuleInfo.controls`; SARIF rule tags such as `CT.S3.PR.1` and',
    '`PCI-DSS-v4.0-3.5.1`; the Controls column of the Markdown report). A Control Tower proactive control (the `CT.*.PR.*`',
    'Guard rules that `@cdklabs/cdk-validator-cfnguard` bundles) is listed only when it checks the same property of the',
    'same resource type; a control that is stricter or looser is named in the rule\'s note instead. The Guard rules and',
    'FintechChecks can run side by side: [docs/controls.md](controls.md) shows, measured on the same apps, which findings',
    'both raise and which each raises alone (`npx projen bench:rules`).',
    '',
    `${count(byControlTower.size, 'Control Tower control')} and ${count(byPci.size, 'PCI DSS v4.0 requirement')} are covered; ` +
      `${count(unmapped.length, 'rule')} check${unmapped.length === 1 ? 's' : ''} operational reliability or deployability that neither names.`,
    '',
    '| Control Tower control | Rules |',
    '|---|---|',
    ...sortedEntries(byControlTower).map(([control, ids]) => `| ${control} | ${ids.map(id => `\`${id}\``).join(', ')} |`),
    '',
    '| PCI DSS v4.0 requirement | Rules |',
    '|---|---|',
    ...sortedEntries(byPci).map(([requirement, ids]) => `| ${requirement} | ${ids.map(id => `\`${id}\``).join(', ')} |`),
    '',
  ].join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function indexBy(rules: readonly RuleInfo[], keys: (rule: RuleInfo) => readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const rule of rules) for (const key of keys(rule)) index.set(key, [...(index.get(key) ?? []), rule.id]);
  return index;
}

// Numeric order of dotted ids: CT.RDS.PR.2 before CT.RDS.PR.13, PCI 3.5.1 before 10.2.1.
function sortedEntries(index: Map<string, string[]>): Array<[string, string[]]> {
  return [...index.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
}
