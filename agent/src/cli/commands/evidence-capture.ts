import { captureEvidence } from '../../capture/index.ts';
import { EvidenceError, encodeEvidenceBundle } from '../../evidence/entries.ts';
import { bundleSha256 } from '../../evidence/hash.ts';
import { writeEvidenceBundle } from '../../evidence/io.ts';
import type { ConfigOf } from '../config.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../output.ts';

/** `evidence capture --out DIR|FILE.tar.gz`: write what the agent reads on this machine. */
export async function evidenceCaptureCommand(config: ConfigOf<'evidence capture'>, out: Output): Promise<number> {
  let bundle;
  try {
    bundle = await captureEvidence(config.platform === 'windows' ? 'win32' : 'linux');
  } catch (err) {
    throw new CliError(`capturing evidence: ${(err as Error).message}`, EXIT.evidence, { cause: err });
  }
  const entries = encodeEvidenceBundle(bundle);
  try {
    await writeEvidenceBundle(entries, config.out);
  } catch (err) {
    throw new CliError(err instanceof EvidenceError ? err.message : `writing ${config.out}: ${(err as Error).message}`, EXIT.evidence, { cause: err });
  }
  const errors = bundle.manifest.errors ?? [];
  for (const error of errors) out.stderr.write(`not captured: ${error.source}: ${error.message}\n`);
  out.stdout.write(
    `wrote ${config.out}: ${bundle.files.size} files, ${bundle.commands.size} command outputs, ${errors.length} capture error(s)\n` +
      `sha256 ${await bundleSha256(entries)}\n`,
  );
  return EXIT.ok;
}
