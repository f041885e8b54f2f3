import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../src/handlers/webhook-signature';

/** What the integ test asks the sender to do. */
interface SendRequest {
  /** The body to post (a webhook event as JSON, or anything for malformed cases). */
  readonly body: string;
  /** Sign with a wrong key. */
  readonly tamper?: boolean;
  /** Post the same signed body this many times (duplicate delivery). */
  readonly times?: number;
  /** Keep posting for up to this many seconds until WAF answers 403 (rate rule). */
  readonly burstSeconds?: number;
}

const secrets = new SecretsManagerClient({});

/** Plays the payment provider in the integ test: signs with the deployed secret and posts to the deployed API. */
export const handler = async (request: SendRequest) => {
  const secret = (await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SIGNING_SECRET_NAME }))).SecretString ?? '';
  const post = async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(request.tamper ? `${secret}-wrong` : secret, timestamp, request.body);
    const response = await fetch(process.env.WEBHOOK_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature },
      body: request.body,
    });
    return response.status;
  };
  if (request.burstSeconds) {
    const deadline = Date.now() + request.burstSeconds * 1000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent++;
      if (await post() === 403) return { blocked: true, sent };
    }
    return { blocked: false, sent };
  }
  const statuses: number[] = [];
  for (let i = 0; i < (request.times ?? 1); i++) statuses.push(await post());
  return { statuses };
};
