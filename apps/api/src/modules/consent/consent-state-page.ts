/** The page a browser sees when the consent callback's state is refused. */
export function consentStatePage(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Admin consent not accepted · Entra Backup</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: Roboto, system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.5rem">Admin consent was not accepted</h1>
<p role="alert">${text}</p>
<p><a href="/settings">Back to Settings</a></p>
</body></html>`;
}
