import { createHash } from 'node:crypto';
import { GraphHttpError } from '../shared/graph-error';
import type { Json } from '../directory/object-collection';

/** One `$filter` clause in the small grammar the emulated APIs support. */
export interface FilterClause {
  property: string;
  op: 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt';
  value: string | number | boolean | null;
}

export interface ParsedFilter {
  /** Clauses joined by a single kind of connective. */
  joiner: 'and' | 'or';
  clauses: FilterClause[];
}

export function unsupportedQuery(message: string): GraphHttpError {
  return new GraphHttpError(400, 'Request_UnsupportedQuery', message);
}

export function badRequest(message: string, code = 'Request_BadRequest'): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

function splitTopLevel(expression: string, word: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const token = ` ${word} `;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && expression.slice(i, i + token.length).toLowerCase() === token) {
      parts.push(expression.slice(start, i));
      start = i + token.length;
      i += token.length - 1;
    }
  }
  parts.push(expression.slice(start));
  return parts.map((p) => p.trim());
}

function parseLiteral(raw: string): string | number | boolean | null {
  const text = raw.trim();
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2)
    return text.slice(1, -1).replace(/''/g, "'");
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  // DateTimeOffset literals are unquoted, e.g. createdDateTime ge 2024-01-01T00:00:00Z
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return text;
  throw badRequest(`Invalid filter clause: syntax error at '${text}'.`);
}

/** Parses `a eq 'x' or a eq 'y'` / `p ge 2024-01-01T00:00:00Z and p le ...`. */
export function parseFilter(expression: string): ParsedFilter {
  let text = expression.trim();
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  const orParts = splitTopLevel(text, 'or');
  const andParts = orParts.length > 1 ? [text] : splitTopLevel(text, 'and');
  const joiner: 'and' | 'or' = orParts.length > 1 ? 'or' : 'and';
  const parts = joiner === 'or' ? orParts : andParts;
  const clauses = parts.map((part) => {
    let p = part.trim();
    while (p.startsWith('(') && p.endsWith(')')) p = p.slice(1, -1).trim();
    const match = /^([A-Za-z0-9_/.]+)\s+(eq|ne|ge|le|gt|lt)\s+(.+)$/i.exec(p);
    if (!match) throw unsupportedQuery(`Unsupported query: '${p}'.`);
    return {
      property: match[1]!,
      op: match[2]!.toLowerCase() as FilterClause['op'],
      value: parseLiteral(match[3]!),
    };
  });
  return { joiner, clauses };
}

function readPath(obj: Json, path: string): unknown {
  let current: unknown = obj;
  for (const segment of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[segment];
  }
  return current;
}

function compare(actual: unknown, clause: FilterClause): boolean {
  const expected = clause.value;
  if (typeof expected === 'string' && typeof actual === 'string') {
    const dateA = Date.parse(actual);
    const dateE = Date.parse(expected);
    const isDate = /^\d{4}-\d{2}-\d{2}/.test(expected) && !Number.isNaN(dateA) && !Number.isNaN(dateE);
    const a = isDate ? dateA : actual.toLowerCase();
    const e = isDate ? dateE : expected.toLowerCase();
    switch (clause.op) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'ge':
        return a >= e;
      case 'le':
        return a <= e;
      case 'gt':
        return a > e;
      case 'lt':
        return a < e;
    }
  }
  if (clause.op === 'eq') return actual === expected;
  if (clause.op === 'ne') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (clause.op) {
      case 'ge':
        return actual >= expected;
      case 'le':
        return actual <= expected;
      case 'gt':
        return actual > expected;
      case 'lt':
        return actual < expected;
    }
  }
  return false;
}

export function matches(filter: ParsedFilter | undefined, obj: Json): boolean {
  if (!filter) return true;
  const results = filter.clauses.map((c) => compare(readPath(obj, c.property), c));
  return filter.joiner === 'or' ? results.some(Boolean) : results.every(Boolean);
}

/** A filter that only selects by id (`id eq 'a' or id eq 'b'`): served by direct lookups. */
export function idsOnly(filter: ParsedFilter | undefined): string[] | undefined {
  if (!filter) return undefined;
  if (!filter.clauses.every((c) => c.property === 'id' && c.op === 'eq' && typeof c.value === 'string'))
    return undefined;
  if (filter.clauses.length > 1 && filter.joiner !== 'or') return undefined;
  return filter.clauses.map((c) => String(c.value));
}

/** Whether a property name has the form of a directory extension (`extension_{appId without dashes}_{name}`). */
export function isExtensionName(name: string): boolean {
  return /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i.test(name);
}

export function parseSelect(raw: string | null): string[] | undefined {
  if (raw === null) return undefined;
  const props = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return props.length > 0 ? props : undefined;
}

/** `$expand=a,b($expand=c)` into names with their raw nested options. */
export function parseExpand(raw: string | null): Array<{ name: string; options: string }> {
  if (raw === null || raw.trim() === '') return [];
  const items: Array<{ name: string; options: string }> = [];
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const trimmed = part.trim();
    if (!trimmed) return;
    const open = trimmed.indexOf('(');
    items.push(
      open < 0
        ? { name: trimmed, options: '' }
        : { name: trimmed.slice(0, open).trim(), options: trimmed.slice(open + 1, -1) },
    );
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      push(raw.slice(start, i));
      start = i + 1;
    }
  }
  push(raw.slice(start));
  return items;
}

export function project(obj: Json, properties: readonly string[], odataType?: string): Json {
  const out: Json = {};
  if (odataType) out['@odata.type'] = odataType;
  else if (typeof obj['@odata.type'] === 'string') out['@odata.type'] = obj['@odata.type'];
  for (const p of properties) {
    if (p in obj) out[p] = obj[p];
  }
  return out;
}

/** Opaque page tokens: base64url JSON with the position and a fingerprint of the query. */
export function encodeToken(payload: Json): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeToken<T extends Json>(token: string, kind: string): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Json;
    if (parsed === null || typeof parsed !== 'object' || parsed['k'] !== kind) throw new Error('kind');
    return parsed as T;
  } catch {
    throw badRequest(
      `Invalid ${kind === 'delta' ? '$deltatoken' : '$skiptoken'} value '${token.slice(0, 40)}'.`,
    );
  }
}

export function fingerprint(parts: Array<string | null | undefined>): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('base64url')
    .slice(0, 12);
}
