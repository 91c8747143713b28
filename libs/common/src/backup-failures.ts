import type { BackupTypeResult } from './backup.schemas';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

/** What a person should do about a failed or skipped type. */
export type BackupFailureAction = 'grant-consent' | 'check-credentials' | 'check-tenant' | 'retry' | 'none';

/** A failure as people read it: a short cause, what to do, and the full text on demand. */
export interface BackupFailureExplanation {
  /** One short sentence. */
  readonly cause: string;
  readonly action: BackupFailureAction;
  /** The action in words, e.g. "Grant admin consent in Settings"; absent when there is nothing to do. */
  readonly actionText?: string;
  /** The Graph or identity-platform code (`Authorization_RequestDenied`, `AADSTS700016`). */
  readonly code?: string;
  /** The message as Graph or the identity platform gave it. */
  readonly detail: string;
}

/** Identical failures of several types, shown once. */
export interface BackupFailureGroup extends BackupFailureExplanation {
  readonly status: 'failed' | 'skipped';
  readonly types: ObjectTypeKey[];
  /** Graph request ids of the answers, for Microsoft support. */
  readonly requestIds: string[];
}

const CONSENT = {
  action: 'grant-consent',
  actionText: 'Grant admin consent in Settings',
} as const satisfies Partial<BackupFailureExplanation>;

/**
 * AADSTS codes of the identity platform that a backup meets when signing in as the app
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
const AADSTS: Readonly<Record<string, Omit<BackupFailureExplanation, 'code' | 'detail'>>> = {
  // Application not found in the directory: never consented to (or removed) in this tenant.
  AADSTS700016: { cause: 'The app is not consented to in this tenant.', ...CONSENT },
  // The user or administrator has not consented to use the application.
  AADSTS65001: { cause: 'Admin consent for the app is missing.', ...CONSENT },
  // The client application is missing its service principal in the tenant.
  AADSTS7000229: { cause: 'The app is not consented to in this tenant.', ...CONSENT },
  AADSTS7000215: {
    cause: "The app's client secret was rejected.",
    action: 'check-credentials',
    actionText: "Check the app's client secret in the server configuration",
  },
  AADSTS7000222: {
    cause: "The app's client secret has expired.",
    action: 'check-credentials',
    actionText: 'Create a new client secret and update the server configuration',
  },
  AADSTS7000218: {
    cause: 'The app has no client secret or certificate configured.',
    action: 'check-credentials',
    actionText: 'Configure a client secret or certificate on the server',
  },
  AADSTS700027: {
    cause: "The app's certificate was rejected.",
    action: 'check-credentials',
    actionText: "Check the app's certificate in the server configuration",
  },
  AADSTS90002: {
    cause: 'The tenant was not found.',
    action: 'check-tenant',
    actionText: 'Check the tenant ID',
  },
};

/** Graph error codes (https://learn.microsoft.com/graph/errors). */
const GRAPH_CODES: Readonly<Record<string, Omit<BackupFailureExplanation, 'code' | 'detail'>>> = {
  Authorization_RequestDenied: { cause: 'The app lacks a permission this type needs.', ...CONSENT },
  Forbidden: { cause: 'The app lacks a permission this type needs.', ...CONSENT },
  InvalidAuthenticationToken: { cause: "Graph did not accept the app's token.", ...CONSENT },
  TooManyRequests: {
    cause: 'Graph kept throttling the requests.',
    action: 'retry',
    actionText: 'Run the backup again later',
  },
  ServiceUnavailable: {
    cause: 'Graph was unavailable.',
    action: 'retry',
    actionText: 'Run the backup again later',
  },
};

const SHORT_CAUSE_LENGTH = 120;

/** A short cause and the action to take for a type's failure or skip reason. */
export function explainBackupFailure(reason: string, graphCode?: string): BackupFailureExplanation {
  const detail = reason.trim();
  const aadsts = /\bAADSTS\d+\b/.exec(detail)?.[0];
  const known = (aadsts && AADSTS[aadsts]) ?? (graphCode && GRAPH_CODES[graphCode]) ?? undefined;
  const code = aadsts ?? graphCode;
  if (known) return { ...known, ...(code ? { code } : {}), detail };
  return { cause: shortCause(detail), action: 'none', ...(code ? { code } : {}), detail };
}

/**
 * The failed and skipped types of a run, identical failures together (one consent problem fails
 * every type with the same 600-character message), in the product's type order.
 */
export function groupBackupFailures(
  types: Partial<Record<ObjectTypeKey, BackupTypeResult>>,
): BackupFailureGroup[] {
  const groups = new Map<string, BackupFailureGroup>();
  for (const key of OBJECT_TYPE_KEYS) {
    const result = types[key];
    if (result === undefined || result.status === 'succeeded') continue;
    const explanation = explainBackupFailure(result.reason ?? 'No reason given', result.graphCode);
    const id = JSON.stringify([result.status, explanation.code ?? '', normalized(explanation.detail)]);
    const group = groups.get(id);
    if (group === undefined) {
      groups.set(id, {
        ...explanation,
        status: result.status,
        types: [key],
        requestIds: result.requestId ? [result.requestId] : [],
      });
    } else {
      group.types.push(key);
      if (result.requestId) group.requestIds.push(result.requestId);
    }
  }
  return [...groups.values()];
}

/** The first sentence of a message without its trace ids, cut to a readable length. */
function shortCause(detail: string): string {
  const firstLine = detail.split(/\r?\n/)[0] ?? detail;
  const sentence = /^(.+?[.!?])(\s|$)/.exec(firstLine)?.[1] ?? firstLine;
  return sentence.length <= SHORT_CAUSE_LENGTH ? sentence : `${sentence.slice(0, SHORT_CAUSE_LENGTH - 1)}…`;
}

/** Messages that differ only in trace, correlation and request ids or timestamps are the same failure. */
function normalized(detail: string): string {
  return detail
    .replace(/(Trace|Correlation|Request) ID: [^\s]+/gi, '')
    .replace(/Timestamp: [^\r\n]+/gi, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "roleAssignments" → "role assignments": a Graph collection name for people. */
export function collectionLabel(collection: string): string {
  return collection
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\boauth2\b/, 'OAuth2');
}

/** "2.7 MB": bytes in decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit += 1;
  } while (value >= 999.95 && unit < units.length - 1);
  return `${value < 10 ? value.toFixed(1) : value.toFixed(value < 100 ? 1 : 0)} ${units[unit]}`;
}
