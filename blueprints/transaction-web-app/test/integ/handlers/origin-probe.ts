/** What the integ test asks the probe to try. */
interface ProbeRequest {
  /** The URL to request directly, e.g. the load balancer's origin name, bypassing CloudFront. */
  readonly url: string;
  /** How long to wait for an answer before calling it unreachable. */
  readonly timeoutMs?: number;
}

/**
 * Plays a client on the internet that skips CloudFront: requests `url` from outside any VPC and says whether anything
 * answered (`reached`, with the status) or not (the error: a timeout when a security group drops the packets).
 */
export const handler = async (request: ProbeRequest) => {
  try {
    const response = await fetch(request.url, { redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs ?? 5000) });
    return { reached: true, status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { reached: false, error: cause?.code ?? (error as Error).name };
  }
};
