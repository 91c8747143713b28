import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@entra-backup/common';

/** A new webhook signing secret: 32 random bytes, hex, with a prefix that says what it is. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

/** Binds a sealed secret to its recipient row, so a sealed value copied to another row fails to open. */
export function webhookSecretContext(recipientId: string): string {
  return `entra-backup/webhook-secret/${recipientId}`;
}

/**
 * `sha256=<hex>`: HMAC-SHA256 with the endpoint's secret over `<timestamp>.<raw body>`. The
 * timestamp (Unix seconds, also sent in its own header) is signed with the body, so a receiver
 * that refuses old timestamps cannot be fed a recorded delivery again.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one signed delivery attempt. */
export function signedWebhookHeaders(input: {
  readonly secret: string | null;
  readonly deliveryId: string;
  readonly body: string;
  readonly now: Date;
}): Record<string, string> {
  const timestamp = Math.floor(input.now.getTime() / 1000);
  const headers: Record<string, string> = {
    [WEBHOOK_DELIVERY_HEADER]: input.deliveryId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
  };
  if (input.secret !== null)
    headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(input.secret, timestamp, input.body);
  return headers;
}

/**
 * What a receiver does (and the tests do): recompute the signature over the raw body, compare in
 * constant time, and refuse timestamps older than the tolerance.
 */
export function verifyWebhookSignature(input: {
  readonly secret: string;
  readonly body: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isInteger(timestamp) || input.signature === undefined) return false;
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
