import { randomInt } from 'node:crypto';

/**
 * The one source of randomness of a chaos test: every random choice (fault seeds, kill points,
 * delays) is drawn from it and printed, so a failing run is replayed exactly with
 * `CHAOS_SEED=<seed> npx jest <test file>` (the seed is printed at the start and in every
 * failure message).
 */
export class ChaosSeed {
  private state: number;
  readonly choices: string[] = [];

  private constructor(
    readonly seed: number,
    private readonly name: string,
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** Seeded from CHAOS_SEED (KILL_SEED is still read), else from a fresh random number. */
  static fromEnvironment(name: string): ChaosSeed {
    const given = process.env['CHAOS_SEED'] ?? process.env['KILL_SEED'];
    const seed = given === undefined || given.trim() === '' ? randomInt(1, 1_000_000) : Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`CHAOS_SEED must be an integer, got '${given}'`);
    const chaos = new ChaosSeed(seed, name);
    chaos.print(`CHAOS_SEED=${seed} (replay: CHAOS_SEED=${seed} npx jest ${name})`);
    return chaos;
  }

  /** What failure messages carry: the seed to replay. */
  get context(): string {
    return `CHAOS_SEED=${this.seed}`;
  }

  /** A number in [0, 1) (xorshift32). */
  next(): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [min, max], printed with what it is for. */
  int(label: string, min: number, max: number): number {
    const value = min + Math.floor(this.next() * (max - min + 1));
    this.print(`${label} = ${value}`);
    return value;
  }

  private print(line: string): void {
    this.choices.push(line);
    // Straight to stderr: Jest's console wraps each line in a stack trace.
    process.stderr.write(`[chaos ${this.name}] ${line}\n`);
  }
}
