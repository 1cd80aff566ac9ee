/**
 * Runs scans one at a time: a request during a scan runs one more scan afterwards (however many
 * requests came), so a burst of package-database events costs at most two scans.
 */
export class ScanScheduler {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly scan: () => Promise<void>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  /** Resolves when no scan is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.scan();
    } while (this.again);
    this.running = null;
  }
}
