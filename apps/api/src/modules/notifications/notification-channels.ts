import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Port: sends mail, when a mail server is configured. */
export abstract class Mailer {
  /** False when no mail server is configured: mail is then only recorded. */
  abstract readonly configured: boolean;
  abstract send(mail: OutgoingMail): Promise<void>;
  abstract close(): void;
}

/** Mail through the SMTP server of `SMTP_URL` (nodemailer). */
export class SmtpMailer extends Mailer {
  readonly configured = true;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(smtpUrl);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  close(): void {
    this.transport.close();
  }
}

/** No mail server configured: nothing is sent. */
export class UnconfiguredMailer extends Mailer {
  readonly configured = false;

  send(): Promise<void> {
    return Promise.reject(new Error('SMTP_URL is not configured'));
  }

  close(): void {}
}

/** A JSON document to post, as the exact bytes to send, with the headers that sign it. */
export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Port: posts a JSON document to a webhook URL. */
export abstract class WebhookClient {
  /** @throws when the webhook does not answer 2xx within the timeout */
  abstract post(request: WebhookRequest): Promise<void>;
}

/** Webhooks with Node's fetch, bounded by a timeout so a dead endpoint cannot hold a delivery. */
export class FetchWebhookClient extends WebhookClient {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async post(request: WebhookRequest): Promise<void> {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'content-type': 'application/json', 'user-agent': 'entra-backup' },
      body: request.body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // The body is not needed; drain it so the connection can be reused.
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
  }
}
