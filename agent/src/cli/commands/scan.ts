import type { Inventory } from '@zhengban/protocol';
import type { ConfigOf } from '../config.ts';
import { EXIT } from '../errors.ts';
import type { Output } from '../output.ts';
import { scanInventory } from '../scan-source.ts';

/** `scan [--evidence PATH] [--json]`: print the inventory of this machine or of a bundle. */
export async function scanCommand(config: ConfigOf<'scan'>, out: Output): Promise<number> {
  const { inventory, evidenceSha256 } = await scanInventory({ evidence: config.evidence, platform: config.platform === 'windows' ? 'win32' : 'linux' });
  if (config.json) {
    out.stdout.write(`${JSON.stringify(inventory, null, 2)}\n`);
    return EXIT.ok;
  }
  out.stdout.write(describeInventory(inventory, evidenceSha256));
  return EXIT.ok;
}

/** A short human summary; --json is the complete answer. */
export function describeInventory(inventory: Inventory, evidenceSha256: string): string {
  const { os, hardware } = inventory;
  const lines = [
    `host:      ${inventory.hostname}`,
    `os:        ${os.product}${os.edition ? ` (${os.edition})` : ''} ${os.arch}; activation ${os.activation.status}/${os.activation.channel}`,
    `hardware:  ${[hardware.vendor, hardware.model].filter(Boolean).join(' ') || 'unknown model'}; uuid ${hardware.uuid ?? 'unknown'}; ${hardware.macs.length} MAC(s)`,
    `office:    ${inventory.office.map((o) => `${o.product} [${o.activation.status}]`).join('; ') || 'none'}`,
    `software:  ${inventory.software.length} entries`,
    `findings:  ${inventory.findings.map((f) => `${f.severity} ${f.code}`).join('; ') || 'none'}`,
  ];
  if (inventory.captureErrors.length > 0) lines.push(`missing:   ${inventory.captureErrors.map((e) => `${e.source} (${e.message})`).join('; ')}`);
  lines.push(`evidence:  sha256 ${evidenceSha256}`, 'Use --json for the full inventory.');
  return `${lines.join('\n')}\n`;
}
