/** Where a command writes: results to stdout, diagnostics to stderr (tests pass buffers). */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
