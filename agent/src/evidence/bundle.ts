/**
 * An evidence bundle held in memory: exactly what the agent read on one machine
 * (DESIGN.md "Evidence bundles"). Capture writes one; `readEvidenceBundle` loads one from a
 * directory or .tar.gz; interpretation (pure) turns one into an Inventory.
 */
export const EVIDENCE_FORMAT = 'zhengban-evidence/1';

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  platform: 'linux' | 'windows';
  capturedAt: string;
  hostname: string;
  agentVersion: string;
  /** Capture steps that failed; interpretation copies them into Inventory.captureErrors. */
  errors?: Array<{ source: string; message: string }>;
}

export interface EvidenceBundle {
  manifest: EvidenceManifest;
  /**
   * Files by their path inside `files/`, '/'-separated, without a leading slash:
   * 'etc/os-release', 'var/lib/dpkg/status', 'C/Program Files/KMSpico/KMSELDI.exe'.
   * Presence means the file existed on the machine.
   */
  files: Map<string, Uint8Array>;
  /** Decoded text of every registry/*.reg file, in file-name order (all merge into one view). */
  registry: string[];
  /** Parsed JSON of wmi/<Class>.json by class name (an object or an array, as PowerShell wrote it). */
  wmi: Map<string, unknown>;
  /** stdout of commands/<name>.txt by name without extension: 'uname', 'rpm-qa', 'ospp-dstatus'. */
  commands: Map<string, string>;
}
