import { Agent, fetch } from 'undici';
import type { RunningEmulator } from '@entra-backup/graph-emulator';

/** Calls the emulator's control API (`/_emulator/...`) over HTTPS, trusting its CA. */
export class EmulatorControl {
  private readonly dispatcher: Agent;

  constructor(private readonly emulator: RunningEmulator) {
    this.dispatcher = new Agent({ connect: { ca: emulator.caCertPem } });
  }

  /** A ground-truth collection of a tenant, one object per JSON line, relationships and secrets included. */
  async truth(tenantId: string, collection: string): Promise<Array<Record<string, unknown>>> {
    const response = await fetch(
      `${this.emulator.baseUrl}/_emulator/tenants/${tenantId}/truth/${collection}`,
      {
        dispatcher: this.dispatcher,
      },
    );
    if (!response.ok) throw new Error(`truth ${collection}: HTTP ${response.status}`);
    return (await response.text())
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Changes the tenant as an admin would (`POST /_emulator/tenants/{id}/changes`). */
  async change(tenantId: string, change: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`${this.emulator.baseUrl}/_emulator/tenants/${tenantId}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
      dispatcher: this.dispatcher,
    });
    if (!response.ok)
      throw new Error(`change ${JSON.stringify(change)}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
