/**
 * The lines a child process writes, kept in order, with a way to wait for one. End-to-end tests
 * read the server's and the agent's own output (banner, JSON log lines, agent log lines) the way
 * an operator would, rather than reaching into the processes.
 */
import type { Readable } from 'node:stream';

/** Upper bound for any single wait: long enough for a 2-core CI machine under heavy load (a server start has taken 75 s there), short enough to fail. */
export const WAIT_LIMIT_MS = 240_000;

export class OutputLines {
  readonly lines: string[] = [];
  #partial = '';
  #waiters = new Set<() => void>();
  #ended = false;

  /** Reads a stream (stdout or stderr of a child) into this list. */
  follow(stream: Readable): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const line of parts) this.lines.push(line);
      this.#wake();
    });
  }

  /** No more lines will come (the process exited): pending waits fail instead of hanging. */
  end(): void {
    if (this.#partial) this.lines.push(this.#partial);
    this.#partial = '';
    this.#ended = true;
    this.#wake();
  }

  /**
   * The first line at or after `from` that `match` accepts, with its index. Rejects with the
   * recent output when the process ends or the wait limit passes first.
   */
  async waitFor(match: (line: string) => boolean, what: string, from = 0, limitMs = WAIT_LIMIT_MS): Promise<{ line: string; index: number }> {
    const deadline = Date.now() + limitMs;
    let scanned = from;
    for (;;) {
      for (; scanned < this.lines.length; scanned++) {
        if (match(this.lines[scanned]!)) return { line: this.lines[scanned]!, index: scanned };
      }
      if (this.#ended) throw new Error(`process ended before ${what}; its output:\n${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`gave up waiting for ${what}; output so far:\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 1_000));
        this.#waiters.add(wake);
      });
    }
  }

  /** The last lines, for failure messages. */
  tail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
