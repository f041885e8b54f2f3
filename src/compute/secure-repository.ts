import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct, IConstruct } from 'constructs';
import { knownRegions } from '../config/config-validation';
import { DataKey } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { ReplicaRegionStack } from '../stage/replica-region-stack';
import { stagePathBase } from '../stage/stage-path-base';

/** Why a `SecureRepository`'s tags may be overwritten. */
export interface MutableTagsReason {
  /** Why images must be re-tagged in place (e.g. "the vendor's deploy tool only pulls :latest"); shown in reviews. */
  readonly reason: string;
}

/** Properties of a `SecureRepository`. */
export interface SecureRepositoryProps {
  /**
   * Key that encrypts the repository's images. ECR uses it through grants it creates with the deploying principal's
   * rights (ECR User Guide, "Encryption at rest", checked 2026-12), so the key policy needs no service statement and
   * pullers need no KMS permission. ECR cannot change a repository's key after creation: a new key replaces the repository.
   *
   * @default - a new `DataKey` for this repository
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit repository name, `<application>-<base>-<stage>` (lowercase letters, digits and single hyphens;
   * at most 64 characters, well inside ECR's 256).
   *
   * @default - CloudFormation generates a unique name; a repository with replica repositories (which must carry its
   * name) is named after its construct path below the stage, e.g. `<application>-workload-images-<stage>`
   */
  readonly nameBase?: string;

  /**
   * Let tags be overwritten (MUTABLE), with the reason. Immutable tags make a deployed `:<version>` mean one image
   * forever, so what was scanned and approved is what runs (C23).
   *
   * @default - tags are IMMUTABLE
   */
  readonly mutableTags?: MutableTagsReason;

  /**
   * How long an untagged image (a failed or superseded push) is kept. ECR never expires an image a manifest list
   * (multi-architecture image index) still refers to (ECR User Guide, "Lifecycle policy evaluation rules", checked
   * 2026-12), so this does not break multi-architecture tags.
   *
   * @default Duration.days(7)
   */
  readonly untaggedImageRetention?: Duration;

  /**
   * How many tagged images are kept; older ones expire. It is the rollback window: an image older than this many
   * pushes cannot be rolled back to, and a service still running it cannot start new tasks.
   *
   * @default 200
   */
  readonly maxTaggedImages?: number;

  /**
   * Regions that receive a copy of every image pushed after replication is set up (cross-Region replication, same
   * account); `[]` turns replication off. ECR replication is a REGISTRY-wide setting: one
   * `AWS::ECR::ReplicationConfiguration` per account and region, and the last one deployed replaces any other. Every
   * `SecureRepository` of a stack shares one configuration (one rule per set of regions, a PREFIX_MATCH filter per
   * repository name, so a repository whose name starts with another's is replicated with it), and two stacks of one
   * app that would both deploy one to the same account and region fail synth. A configuration deployed by another app
   * or team in the same account and region is still overwritten by this one, and overwrites it in turn: keep the
   * repositories that replicate in one stack per account and region, or pass `[]` and manage replication yourself.
   *
   * How replicas are stored: see `replicaRepositories`.
   *
   * @default - the enclosing `FintechStage`'s `replicaRegions` for a stack in the stage's home region; none in a stack
   * of another region, and none outside a stage
   */
  readonly replicaRegions?: string[];

  /**
   * Create the destination repository in each replica region before replication starts, in the stage's
   * `ReplicaRegionStack` of that region (deployed before this stack): the same name, IMMUTABLE tags, scan on push, this
   * lifecycle policy, and images encrypted with a `DataKey` of that region. ECR stores replicas in an existing
   * repository of the same name with its settings; without one it creates the repository with its defaults, AES256
   * encryption, MUTABLE tags and no lifecycle policy, unless a repository creation template of yours matches (ECR User
   * Guide, "Templates to control repositories created during a pull through cache or replication action", checked
   * 2026-12). Needs the stack's account at synth (a `FintechStage` with replicas always has it). Turn off only where
   * you manage the destinations yourself (a creation template), or for an environment-agnostic stack.
   *
   * @default true
   */
  readonly replicaRepositories?: boolean;
}

// Rollback window of ~200 releases; storage at $0.10 per GB-month (ECR pricing, 2026-12) makes 200 images of
// 200 MB about $4 a month, far less than a failed rollback.
const MAX_TAGGED_IMAGES = 200;
// Untagged images are leftovers of re-pushes and failed builds; a week leaves time to find out what happened.
const UNTAGGED_IMAGE_RETENTION = Duration.days(7);
// ECR PutReplicationConfiguration (API reference, ReplicationConfiguration and ReplicationRule, checked 2026-12).
const MAX_REPLICATION_RULES = 10;
const MAX_FILTERS_PER_RULE = 100;
// ECR repository names: lowercase alphanumeric parts separated by one of `. _ -` (no doubled separators).
const ECR_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * An ECR repository for teams that ship images: tags IMMUTABLE, scan on push, images encrypted with a customer
 * key (a `DataKey`), a lifecycle policy that expires untagged images and keeps the last tagged ones, and replication to
 * the stage's replica regions into repositories it creates there with the same settings and a key of each region
 * (C04, C23). Removal follows the stage, replicas included: ephemeral stages delete it with its images
 * (`EmptyOnDelete`), durable ones retain it (C02). It is an `ecr.Repository`, so it goes wherever an `IRepository`
 * does, with the L2's grants. Its key is created next to it, as `<id>Key`. Replication is a registry-wide setting:
 * read `replicaRegions` before two teams share an account and region.
 */
export class SecureRepository extends ecr.Repository {
  /** The key of the repository's images. */
  public readonly dataKey: DataKey;
  /** Regions its images are replicated to; empty when replication is off. */
  public readonly replicaRegions: string[];
  /** The repositories its images are replicated into, by region; empty without replica repositories. */
  public readonly replicas: { [region: string]: SecureRepository };
  /** Whether tags are immutable. */
  public readonly immutableTags: boolean;
  /** How long untagged images are kept. */
  public readonly untaggedImageRetention: Duration;
  /** How many tagged images are kept. */
  public readonly maxTaggedImages: number;

  constructor(scope: Construct, id: string, props: SecureRepositoryProps = {}) {
    const at = `SecureRepository at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    if (props.mutableTags !== undefined && (typeof props.mutableTags.reason !== 'string' || props.mutableTags.reason.trim().length === 0)) {
      throw new Error(`${at}: mutableTags has no reason; say why images must be re-tagged in place, e.g. mutableTags: { reason: 'the vendor agent pulls :latest' }, or drop mutableTags to keep tags immutable.`);
    }
    const untaggedImageRetention = props.untaggedImageRetention ?? UNTAGGED_IMAGE_RETENTION;
    const untaggedDays = untaggedImageRetention.toDays({ integral: false });
    if (!Token.isUnresolved(untaggedImageRetention.toSeconds()) && (!Number.isInteger(untaggedDays) || untaggedDays < 1)) {
      throw new Error(`${at}: untaggedImageRetention ${untaggedImageRetention.toHumanString()} is not a whole number of days of at least 1 (ECR counts lifecycle ages in days); use e.g. Duration.days(7).`);
    }
    const maxTaggedImages = props.maxTaggedImages ?? MAX_TAGGED_IMAGES;
    if (!Token.isUnresolved(maxTaggedImages) && (!Number.isInteger(maxTaggedImages) || maxTaggedImages < 1)) {
      throw new Error(`${at}: maxTaggedImages ${maxTaggedImages} must be a whole number of at least 1 (the images a rollback can go back to); use the default ${MAX_TAGGED_IMAGES} unless you know your release rate.`);
    }
    const replicaRegions = checkedReplicaRegions(scope, at, props.replicaRegions);
    const withReplicas = replicaRegions.length > 0 && (props.replicaRepositories ?? true);
    if (withReplicas && Token.isUnresolved(Stack.of(scope).account)) {
      throw new Error(`${at}: replica repositories need the stack's account at synth (their stacks deploy to it in ${replicaRegions.join(', ')}), and the stack is environment-agnostic; ` +
        'give the stack env: { account, region } (or create it in a FintechStage with an account), or set replicaRepositories: false to let ECR create the replicas with AES256 encryption.');
    }

    const base = props.nameBase ?? (withReplicas ? stagePathBase(scope, id) : undefined);
    const repositoryName = base !== undefined ? PhysicalName.of(scope, base, { kind: NameKind.GENERIC }) : undefined;
    if (repositoryName !== undefined && !ECR_NAME.test(repositoryName)) {
      throw new Error(`${at}: repository name "${repositoryName}" (from nameBase "${base}") has a doubled or trailing separator, which ECR refuses; use single hyphens in nameBase, the application and the stage name.`);
    }
    // The key is a prop of the repository, so it is made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: `${base ?? stagePathBase(scope, id)}-repository` });
    super(scope, id, {
      ...(repositoryName !== undefined ? { repositoryName } : {}),
      imageTagMutability: props.mutableTags ? ecr.TagMutability.MUTABLE : ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: dataKey.key,
      lifecycleRules: [
        { rulePriority: 1, description: `Expire untagged images after ${untaggedDays} days`, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: untaggedImageRetention },
        { rulePriority: 2, description: `Keep the last ${maxTaggedImages} tagged images`, tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: maxTaggedImages },
      ],
      // Removal is the stage's: StageRemovalPolicy sets DESTROY and EmptyOnDelete in ephemeral stages, RETAIN in durable ones.
    });
    followStage(this);
    this.dataKey = dataKey;
    this.replicaRegions = replicaRegions;
    this.immutableTags = props.mutableTags === undefined;
    this.untaggedImageRetention = untaggedImageRetention;
    this.maxTaggedImages = maxTaggedImages;
    this.replicas = {};
    if (withReplicas && repositoryName !== undefined) {
      const home = Stack.of(this);
      for (const region of replicaRegions) {
        const replicaStack = ReplicaRegionStack.forRegion(this, region);
        home.addDependency(replicaStack, `repository ${repositoryName} in ${region} must exist before ECR replicates into it`);
        const holder = new Construct(replicaStack, stagePathBase(this));
        const replica = new SecureRepository(holder, 'Repository', {
          dataKey: new DataKey(holder, 'Key', { aliasBase: `${base}-repository`, description: `Key of the ${region} replica of ECR repository ${repositoryName}` }),
          replicaRegions: [],
          untaggedImageRetention,
          maxTaggedImages,
          ...(props.mutableTags ? { mutableTags: props.mutableTags } : {}),
        });
        // The source's name, not one PhysicalName.of would build for the replica's own scope.
        (replica.node.defaultChild as ecr.CfnRepository).repositoryName = repositoryName;
        this.replicas[region] = replica;
      }
    }
    if (replicaRegions.length > 0) RegistryReplication.of(Stack.of(this)).add(this, replicaRegions);
  }
}

// Whether two stacks deploy to one ECR registry: the same literal account and region, or one FintechStage without an account.
function sameRegistry(a: Stack, b: Stack): boolean {
  if (Token.isUnresolved(a.region) || Token.isUnresolved(b.region) || a.region !== b.region) return false;
  if (!Token.isUnresolved(a.account) && !Token.isUnresolved(b.account)) return a.account === b.account;
  const stage = FintechStage.tryEnclosing(a);
  return stage !== undefined && stage === FintechStage.tryEnclosing(b) && Token.isUnresolved(a.account) && Token.isUnresolved(b.account);
}

function checkedReplicaRegions(scope: IConstruct, at: string, given: string[] | undefined): string[] {
  if (given === undefined) {
    // The stage's replica regions hold copies of its home region: a stack elsewhere (a replica region's own) replicates nothing.
    const stage = FintechStage.tryEnclosing(scope);
    const region = Stack.of(scope).region;
    return stage && (Token.isUnresolved(region) || region === stage.region) ? [...stage.replicaRegions] : [];
  }
  if (!Array.isArray(given)) {
    throw new Error(`${at}: replicaRegions must be a list of region names, e.g. ['us-west-2'], or [] for no replication.`);
  }
  const known = new Set(knownRegions());
  const home = Stack.of(scope).region;
  const seen = new Set<string>();
  given.forEach((region, i) => {
    if (typeof region !== 'string' || !known.has(region)) {
      throw new Error(`${at}: replicaRegions[${i}] "${region}" is not an AWS region known to aws-cdk-lib; use a region name such as "us-west-2".`);
    }
    if (!Token.isUnresolved(home) && region === home) {
      throw new Error(`${at}: replicaRegions[${i}] "${region}" is the stack's own region, which holds the repository already; list only the other regions.`);
    }
    if (seen.has(region)) {
      throw new Error(`${at}: replicaRegions[${i}] "${region}" is listed twice; list each region once.`);
    }
    seen.add(region);
  });
  return [...given];
}

const REPLICATION_ID = 'FintechEcrReplication';
const REGISTRY_REPLICATION_SYMBOL = Symbol.for('fintech-infra-template.RegistryReplication');

/**
 * The one ECR replication configuration of a stack: a registry has a single configuration per region, so every
 * `SecureRepository` of the stack adds its name to it instead of creating its own (a second one would replace the first).
 */
class RegistryReplication extends Construct {
  public static of(stack: Stack): RegistryReplication {
    return (stack.node.tryFindChild(REPLICATION_ID) as RegistryReplication | undefined) ?? new RegistryReplication(stack, REPLICATION_ID);
  }

  private readonly repositories: { readonly repository: SecureRepository; readonly regions: string[] }[] = [];

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    Object.defineProperty(this, REGISTRY_REPLICATION_SYMBOL, { value: true });
    const stack = scope;
    new ecr.CfnReplicationConfiguration(this, 'Configuration', {
      replicationConfiguration: {
        rules: Lazy.any({
          produce: () => this.rules().map(({ regions, names }) => ({
            destinations: regions.map(region => ({ region, registryId: stack.account })),
            repositoryFilters: names.map(filter => ({ filter, filterType: 'PREFIX_MATCH' })),
          })),
        }),
      },
    });
    this.node.addValidation({ validate: () => this.problems() });
  }

  public add(repository: SecureRepository, regions: string[]): void {
    this.repositories.push({ repository, regions: [...regions].sort() });
  }

  // One rule per set of destination regions, listing the names of the repositories that replicate there.
  private rules(): { regions: string[]; names: string[] }[] {
    const byRegions = new Map<string, { regions: string[]; names: string[] }>();
    for (const { repository, regions } of this.repositories) {
      const key = regions.join(',');
      const rule = byRegions.get(key) ?? { regions, names: [] };
      rule.names.push(repository.repositoryName);
      byRegions.set(key, rule);
    }
    return [...byRegions.values()];
  }

  private problems(): string[] {
    const rules = this.rules();
    const problems: string[] = [];
    const stack = Stack.of(this);
    const rivals = this.node.root.node.findAll()
      .filter((c): c is RegistryReplication => c !== this && REGISTRY_REPLICATION_SYMBOL in c)
      .filter(other => sameRegistry(stack, Stack.of(other)));
    if (rivals.length > 0) {
      problems.push(`ECR replication of stack ${stack.node.path}: stack${rivals.length > 1 ? 's' : ''} ${rivals.map(r => Stack.of(r).node.path).join(', ')} ` +
        `deploy${rivals.length > 1 ? '' : 's'} to the same account and region and ${rivals.length > 1 ? 'have' : 'has'} a replication configuration too; a registry has one, so each deploy would replace the other's. ` +
        'Keep the SecureRepositories that replicate in one stack per account and region, or pass replicaRegions: [] to those of the other stacks.');
    }
    if (rules.length > MAX_REPLICATION_RULES) {
      problems.push(`ECR replication of stack ${Stack.of(this).node.path}: the SecureRepositories replicate to ${rules.length} different sets of regions, ` +
        `but a registry's replication configuration holds at most ${MAX_REPLICATION_RULES} rules; give repositories the same replicaRegions, or move some to another account.`);
    }
    for (const rule of rules) {
      if (rule.names.length > MAX_FILTERS_PER_RULE) {
        problems.push(`ECR replication of stack ${Stack.of(this).node.path}: ${rule.names.length} repositories replicate to [${rule.regions.join(', ')}], ` +
          `but a replication rule holds at most ${MAX_FILTERS_PER_RULE} repository filters; name the repositories with a common prefix and replicate that prefix yourself (replicaRegions: []).`);
      }
    }
    return problems;
  }
}
