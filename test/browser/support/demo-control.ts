/**
 * The demo emulator's control API (`/_emulator/...`): the server was started with the control
 * token that playwright.config.ts chose for the run, and only its holders may read the ground
 * truth or change the demo tenants.
 */
export function demoControl(path: string): { url: string; headers: Record<string, string> } {
  const port = process.env['ENTRA_BACKUP_E2E_DEMO_PORT'];
  const token = process.env['ENTRA_BACKUP_E2E_DEMO_CONTROL_TOKEN'];
  if (port === undefined || token === undefined) {
    throw new Error('the demo emulator port and control token come from playwright.config.ts');
  }
  return { url: `https://127.0.0.1:${port}/_emulator${path}`, headers: { authorization: `Bearer ${token}` } };
}
