/**
 * What the platform layer offers the Graph router for the rest of a request, in `res.locals.platform`.
 * `$batch` calls `admitSubRequest` once per sub-request: Graph throttles each one individually, and a
 * throttled one gets status 429 inside the 200 envelope.
 * https://learn.microsoft.com/graph/json-batching#throttling-and-batching
 */
export interface PlatformRequestHooks {
  admitSubRequest(sub: { method: string; url: string }): SubRequestAdmission;
  /**
   * Replication-delay fault injection: whether a write referencing `id`, created `ageMs` ago (emulator clock), is
   * refused as not yet replicated; the error to answer with, or undefined.
   */
  replicationLag?(ageMs: number, id: string): { status: number; code: string; message: string } | undefined;
  /** Records a finished `$batch` item in the request log (`GET /_emulator/requests`). */
  recordSubRequest?(sub: { id: string; method: string; url: string; status: number }): void;
}

export type SubRequestAdmission =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; status: 429; headers: Record<string, string>; body: unknown };
