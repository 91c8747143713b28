import type { DirectoryUserSummary, EmulatedTenantSummary } from '../shared/graph-context';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from './token-service';

/** Minimal HTML for the emulated sign-in and consent pages. All dynamic values go through `escapeHtml`. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Segoe UI",Roboto,Arial,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:480px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 8px}
.banner{font-size:13px;color:#605e5c;border-left:4px solid #0067b8;padding:4px 8px;margin-bottom:20px}
ul{list-style:none;padding:0;margin:16px 0}
li{margin:6px 0}
button{font:inherit;cursor:pointer}
.account{width:100%;text-align:left;background:#fff;border:1px solid #8a8886;padding:10px 12px}
.account:hover,.account:focus{background:#f3f2f1}
.account small{display:block;color:#605e5c}
.primary{background:#0067b8;color:#fff;border:0;padding:8px 24px;margin-right:8px}
.secondary{background:#e1dfdd;border:0;padding:8px 24px}
.error{color:#a80000}
code{word-break:break-all}
</style>
</head>
<body>
<main>
<div class="banner" role="note">Microsoft identity platform emulator — a local stand-in for login.microsoftonline.com. No password is needed.</div>
${body}
</main>
</body>
</html>`;
}

function hiddenInputs(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
}

/** Helps a demo user pick the right account: admins are marked. */
function roleLabel(user: DirectoryUserSummary): string {
  if (user.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR_TEMPLATE_ID)) return ' · Global Administrator';
  if (user.roleTemplateIds.length > 0) return ' · directory role holder';
  return '';
}

export function tenantPickerPage(
  action: string,
  params: Record<string, string>,
  tenants: EmulatedTenantSummary[],
): string {
  const items = tenants
    .map(
      (
        t,
      ) => `<li><form method="get" action="${escapeHtml(action)}">${hiddenInputs({ ...params, emulator_tenant: t.tenantId })}
<button class="account" type="submit">${escapeHtml(t.displayName)}<small>${escapeHtml(t.defaultDomain)} · ${escapeHtml(t.tenantId)}</small></button></form></li>`,
    )
    .join('\n');
  return layout(
    'Pick an organization',
    `<h1>Pick an organization</h1><p>Which organization's account do you want to use?</p><ul>${items}</ul>`,
  );
}

export function accountPickerPage(
  action: string,
  params: Record<string, string>,
  tenant: EmulatedTenantSummary,
  users: DirectoryUserSummary[],
  appName: string,
  heading = 'Pick an account',
): string {
  const items = users
    .map(
      (u) =>
        `<li><button class="account" type="submit" name="emulator_user" value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)}<small>${escapeHtml(u.userPrincipalName)}${escapeHtml(roleLabel(u))}</small></button></li>`,
    )
    .join('\n');
  return layout(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>to continue to <strong>${escapeHtml(appName)}</strong> in <strong>${escapeHtml(tenant.displayName)}</strong></p>
<form method="post" action="${escapeHtml(action)}">${hiddenInputs(params)}
<ul>${items}</ul>
</form>`,
  );
}

export function consentPage(
  action: string,
  params: Record<string, string>,
  tenant: EmulatedTenantSummary,
  user: DirectoryUserSummary,
  appName: string,
  appRoles: string[],
  delegatedScopes: string[],
): string {
  const roleItems = appRoles
    .map((r) => `<li>${escapeHtml(r)} <small>(application permission, Microsoft Graph)</small></li>`)
    .join('\n');
  const scopeItems = delegatedScopes
    .map((s) => `<li>${escapeHtml(s)} <small>(delegated permission)</small></li>`)
    .join('\n');
  return layout(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p>Accept for your organization</p>
<p><strong>${escapeHtml(appName)}</strong> wants to access resources in <strong>${escapeHtml(tenant.displayName)}</strong>. Signed in as ${escapeHtml(user.userPrincipalName)}.</p>
<p>This app would like to:</p>
<ul id="permissions">${roleItems}${scopeItems}</ul>
<p>If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>
<form method="post" action="${escapeHtml(action)}">${hiddenInputs({ ...params, emulator_user: user.id })}
<button class="primary" type="submit" name="emulator_decision" value="accept">Accept</button>
<button class="secondary" type="submit" name="emulator_decision" value="cancel">Cancel</button>
</form>`,
  );
}

export function needAdminApprovalPage(
  action: string,
  params: Record<string, string>,
  user: DirectoryUserSummary,
  appName: string,
  message: string,
): string {
  return layout(
    'Need admin approval',
    `<h1>Need admin approval</h1>
<p class="error">${escapeHtml(message)}</p>
<p>Signed in as ${escapeHtml(user.userPrincipalName)}.</p>
<form method="get" action="${escapeHtml(action)}">${hiddenInputs(params)}
<button class="secondary" type="submit">Have an admin account? Sign in with that account</button>
</form>
<form method="post" action="${escapeHtml(action)}">${hiddenInputs({ ...params, emulator_user: user.id })}
<button class="primary" type="submit" name="emulator_decision" value="return">Return to the application without granting consent</button>
</form>
<p><small>${escapeHtml(appName)}</small></p>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}

export function signedOutPage(): string {
  return layout(
    'Signed out',
    "<h1>You signed out of your account</h1><p>It's a good idea to close all browser windows.</p>",
  );
}

export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${hiddenInputs(fields)}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form></body></html>`;
}
