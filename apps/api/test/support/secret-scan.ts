import { createPrivateKey } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { DataSource } from 'typeorm';

/**
 * Searches stored bytes for secrets the way an attacker with a copy of the data directory would:
 * not only for the plain text, but for its base64 and hex forms, inside every database value
 * and file, and inside whatever those decompress to. Payloads are compressed before they are
 * encrypted, and compression alone never leaves a secret's plain bytes in its output, so a scan
 * of the raw bytes passes even when nothing was encrypted: every value that decompresses (brotli,
 * gzip, zlib) is searched again decompressed. A stored value that should be sealed must also have
 * the sealed format's header (see `BlobCipher`), which plain or merely compressed data lacks.
 */

export interface Secret {
  /** Shown in findings instead of the secret. */
  readonly label: string;
  readonly value: string | Buffer;
}

export interface Finding {
  /** `file <path>`, `table.column row n`, `logs`. */
  readonly where: string;
  readonly secret: string;
  /** `plain`, `base64`, `hex`, … and `brotli` when found after decompression. */
  readonly form: string;
}

/** Values smaller than this are not worth decompressing (and not worth scanning decoded). */
const MIN_DECODE_BYTES = 16;
/** A decompression bomb guard: no stored payload of ours is larger. */
const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

interface Needle {
  readonly label: string;
  readonly form: string;
  readonly bytes: Buffer;
}

/**
 * Every encoded form of a secret that may sit inside a longer text: plain, hex (both cases), and
 * base64 / base64url at each of the three byte alignments (a secret inside a base64 string is
 * encoded differently depending on its offset). Forms of fewer than 8 characters are dropped.
 */
export function encodedForms(value: string | Buffer): Array<{ form: string; bytes: Buffer }> {
  const raw = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const forms: Array<{ form: string; bytes: Buffer }> = [
    { form: 'plain', bytes: raw },
    { form: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    { form: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
    { form: 'utf16le', bytes: Buffer.from(raw.toString('utf8'), 'utf16le') },
  ];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), raw]);
    // Characters that depend only on the secret's bytes: skip those mixed with the padding
    // before it, and the last (partial) group after it.
    const skip = Math.ceil((offset * 4) / 3);
    const fullGroups = Math.floor(padded.length / 3);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = padded
        .subarray(0, fullGroups * 3)
        .toString(encoding)
        .slice(skip);
      if (text.length >= 8) forms.push({ form: `${encoding}@${offset}`, bytes: Buffer.from(text) });
    }
  }
  return forms.filter((f) => f.bytes.length >= 8);
}

/**
 * The secret forms of a PEM private key: the PEM itself, its base64 body, and its DER (PKCS#8 and
 * the traditional encoding), so a key stored re-encoded is found too.
 */
export function privateKeySecrets(label: string, pem: string): Secret[] {
  const key = createPrivateKey(pem);
  const secrets: Secret[] = [{ label, value: pem.trim() }];
  const body = pem
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .join('');
  // The first characters are the same ASN.1 prefix for every key of a kind: take the key's own.
  secrets.push({ label: `${label} (PEM body)`, value: body.slice(64, 128) });
  secrets.push({ label: `${label} (PKCS#8 DER)`, value: key.export({ format: 'der', type: 'pkcs8' }) });
  if (key.asymmetricKeyType === 'rsa')
    secrets.push({ label: `${label} (PKCS#1 DER)`, value: key.export({ format: 'der', type: 'pkcs1' }) });
  return secrets;
}

export class SecretScanner {
  private readonly needles: Needle[];

  constructor(secrets: readonly Secret[]) {
    this.needles = secrets.flatMap((secret) =>
      encodedForms(secret.value).map((form) => ({ label: secret.label, ...form })),
    );
    if (this.needles.length === 0) throw new Error('Nothing to scan for');
  }

  /** Findings in one value: as stored, base64-decoded, and decompressed. */
  scanValue(where: string, value: unknown): Finding[] {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const visit = (bytes: Buffer, layers: string[], binary: boolean): void => {
      for (const needle of this.needles) {
        if (!bytes.includes(needle.bytes)) continue;
        const form = [...layers, needle.form].join('+');
        const key = `${needle.label}|${form}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ where, secret: needle.label, form });
      }
      if (bytes.length < MIN_DECODE_BYTES || layers.length >= 3) return;
      // Compressed data is binary; text (JSON, base64) is decoded first.
      if (binary) {
        for (const [name, inflate] of DECOMPRESSORS) {
          const inflated = tryDecompress(inflate, bytes);
          if (inflated !== undefined) visit(inflated, [...layers, name], !isText(inflated));
        }
      }
      const decoded = decodeText(bytes);
      if (decoded !== undefined) visit(decoded.bytes, [...layers, decoded.encoding], true);
    };
    const bytes = toBuffer(value);
    if (bytes !== undefined) visit(bytes, [], !isText(bytes));
    return findings;
  }

  /** Every regular file under `dir`, recursively. */
  async scanDirectory(dir: string): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const path of await filesUnder(dir)) {
      findings.push(...this.scanValue(`file ${path.slice(dir.length + 1)}`, await readFile(path)));
    }
    return findings;
  }

  /** Every value of every table the data source maps, row by row. */
  async scanDatabase(dataSource: DataSource): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const table of await tablesOf(dataSource)) {
      const rows = (await dataSource.query(`SELECT * FROM ${table.sql}`)) as Array<Record<string, unknown>>;
      for (const [index, row] of rows.entries()) {
        for (const [column, value] of Object.entries(row)) {
          findings.push(...this.scanValue(`${table.name}.${column} row ${index}`, value));
        }
      }
    }
    return findings;
  }
}

/**
 * Values of sealed columns (`payload`, `sealed_*`, `*_sealed`) that do not start with the sealed
 * format's header: version 1 and the id of the master key that sealed them (`BlobCipher`).
 * Plain or merely compressed data never has it.
 */
export async function unsealedValues(dataSource: DataSource, keyId: string): Promise<string[]> {
  const header = Buffer.concat([Buffer.from([1]), Buffer.from(keyId, 'hex')]);
  const problems: string[] = [];
  let sealedValues = 0;
  const sealedColumn = (column: string) => column === 'payload' || /(^sealed_|_sealed$)/.test(column);
  for (const table of await tablesOf(dataSource)) {
    // Some columns are written by raw SQL and not mapped by the entity: read every column.
    const rows = (await dataSource.query(`SELECT * FROM ${table.sql}`)) as Array<Record<string, unknown>>;
    for (const [index, row] of rows.entries()) {
      for (const [column, value] of Object.entries(row)) {
        if (!sealedColumn(column) || value === null || value === undefined) continue;
        sealedValues += 1;
        const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'base64');
        if (!bytes.subarray(0, header.length).equals(header))
          problems.push(`${table.name}.${column} row ${index} is not sealed`);
      }
    }
  }
  if (sealedValues === 0) problems.push('no sealed value found at all');
  return problems;
}

const DECOMPRESSORS: ReadonlyArray<[string, (bytes: Buffer) => Buffer]> = [
  ['brotli', (bytes) => brotliDecompressSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES })],
  ['gzip', (bytes) => gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES })],
  ['zlib', (bytes) => inflateSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES })],
];

function tryDecompress(inflate: (bytes: Buffer) => Buffer, bytes: Buffer): Buffer | undefined {
  try {
    const out = inflate(bytes);
    return out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

/** A value that is entirely base64 or hex text, decoded (how sealed values sit in text columns). */
function decodeText(bytes: Buffer): { encoding: string; bytes: Buffer } | undefined {
  if (bytes.length > MAX_DECOMPRESSED_BYTES) return undefined;
  const text = bytes.toString('latin1').trim();
  if (/^(?:[0-9a-f]{2})+$/i.test(text)) return { encoding: 'hex-decoded', bytes: Buffer.from(text, 'hex') };
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && text.length % 4 !== 1)
    return { encoding: 'base64-decoded', bytes: Buffer.from(text, 'base64') };
  return undefined;
}

/** Printable UTF-8 (JSON, base64, PEM …), as opposed to binary data that may be compressed. */
function isText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 512);
  for (const byte of sample) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return false;
  }
  return true;
}

function toBuffer(value: unknown): Buffer | undefined {
  if (value === null || value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return undefined;
  if (value instanceof Date) return undefined;
  return Buffer.from(JSON.stringify(value), 'utf8');
}

async function tablesOf(dataSource: DataSource): Promise<Array<{ name: string; sql: string }>> {
  const escape = (name: string) => dataSource.driver.escape(name);
  const tables = dataSource.entityMetadatas.map((meta) => ({
    name: meta.tableName,
    sql:
      meta.schema === undefined || meta.schema === ''
        ? escape(meta.tableName)
        : `${escape(meta.schema)}.${escape(meta.tableName)}`,
  }));
  const schema = (dataSource.options as { schema?: string }).schema;
  return tables.map((table) =>
    schema !== undefined && !table.sql.includes('.')
      ? { ...table, sql: `${escape(schema)}.${table.sql}` }
      : table,
  );
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
