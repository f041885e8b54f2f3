/** What signs an IAM database authentication token: `@aws-sdk/rds-signer`'s `Signer` fits. */
export interface AuthTokenSigner {
  getAuthToken(): Promise<string>;
}

/** Options of `IamAuthToken`. */
export interface IamAuthTokenOptions {
  /**
   * How long before a token expires a new one is signed, so no connection attempt carries a token about to expire.
   *
   * @default 5 minutes
   */
  readonly refreshMarginMs?: number;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default Date.now
   */
  readonly now?: () => number;
}

/** RDS accepts an IAM authentication token for 15 minutes after it is signed (a presigned URL with X-Amz-Expires=900). */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/**
 * An IAM database authentication token, reused until shortly before it expires and then signed again. The token is only
 * checked when a connection opens, so open connections outlive it; new connections always get a valid one. Concurrent
 * callers share one signing.
 */
export class IamAuthToken {
  private token?: string;
  private refreshAt = 0;
  private signing?: Promise<string>;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;

  constructor(private readonly signer: AuthTokenSigner, options: IamAuthTokenOptions = {}) {
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** A token valid for at least the refresh margin. */
  public async get(): Promise<string> {
    if (this.token !== undefined && this.now() < this.refreshAt) return this.token;
    this.signing ??= this.sign().finally(() => { this.signing = undefined; });
    return this.signing;
  }

  private async sign(): Promise<string> {
    const signedAt = this.now();
    const token = await this.signer.getAuthToken();
    this.token = token;
    this.refreshAt = expiryOf(token, signedAt) - this.refreshMarginMs;
    return token;
  }
}

/** When a token expires: from its X-Amz-Date and X-Amz-Expires, or the RDS lifetime from `signedAt` if it has neither. */
function expiryOf(token: string, signedAt: number): number {
  const query = new URLSearchParams(token.slice(token.indexOf('?') + 1));
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!date || !Number.isFinite(expires) || expires <= 0) return signedAt + TOKEN_LIFETIME_MS;
  const [, year, month, day, hour, minute, second] = date.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second) + expires * 1000;
}
