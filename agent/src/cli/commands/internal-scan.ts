import { writeFileAtomic } from '../../state/atomic-file.ts';
import type { ConfigOf } from '../config.ts';
import { CliError, EXIT } from '../errors.ts';
import type { ScanResultFile } from '../scan-result.ts';
import { scanInventory } from '../scan-source.ts';

/**
 * `internal-scan --out FILE`: one scan for a running agent, in a process of its own. Writes the
 * inventory (or why there is none) to FILE; a failure is also rethrown, so it shows on stderr
 * like any command's and sets the exit code.
 */
export async function internalScanCommand(config: ConfigOf<'internal-scan'>): Promise<number> {
  try {
    const scan = await scanInventory({ evidence: config.evidence, platform: config.platform === 'windows' ? 'win32' : 'linux' });
    await writeResult(config.out, { ok: true, inventory: scan.inventory, evidenceSha256: scan.evidenceSha256 });
    return EXIT.ok;
  } catch (err) {
    const exitCode = err instanceof CliError ? err.exitCode : EXIT.failure;
    const message = err instanceof CliError ? err.message : `unexpected error: ${(err as Error).message ?? String(err)}`;
    await writeResult(config.out, { ok: false, exitCode, message });
    throw err;
  }
}

function writeResult(path: string, result: ScanResultFile): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(result), 0o600);
}
