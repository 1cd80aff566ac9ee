import { access, readdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { EVIDENCE_FORMAT, type EvidenceBundle } from '../evidence/bundle.ts';
import { AGENT_VERSION } from '../version.ts';
import { EvidenceCollector, describeFsError } from './collector.ts';
import {
  DMI_DIR,
  DMI_FIELDS,
  LINUX_HARDWARE_FILES,
  LINUX_LICENCE_FILES,
  LINUX_OS_RELEASE_FALLBACK,
  LINUX_PACKAGE_FILES,
  LINUX_RELEASE_FILES,
  NET_CLASS_DIR,
  RPM_QUERY_FORMAT,
  VIRTUAL_INTERFACE_PREFIXES,
} from './linux-sources.ts';
import { runCommand } from './run-command.ts';

export interface LinuxCaptureOptions {
  /** Where the machine's file system starts: '/' on a live machine, a prepared folder in tests. */
  rootDir?: string;
  /** Run uname and rpm (default true); off when capturing a folder that is not this machine. */
  runCommands?: boolean;
  hostname?: string;
  now?: () => Date;
}

const UNAME_TIMEOUT_MS = 5_000;
/** rpm -qa reads the whole database; a few seconds on a large server, never minutes. */
const RPM_TIMEOUT_MS = 30_000;

/**
 * Captures this Linux machine's evidence (DESIGN.md bundle format). Reads only local files and
 * runs only local commands, so it works offline and takes seconds; nothing is cleaned here —
 * interpretation decides what the bytes mean.
 */
export async function captureLinuxEvidence(options: LinuxCaptureOptions = {}): Promise<EvidenceBundle> {
  const collector = new EvidenceCollector(options.rootDir ?? '/');
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();

  for (const path of LINUX_RELEASE_FILES) await collector.copyFile(path);
  if (!collector.files.has('etc/os-release')) await collector.copyFile(LINUX_OS_RELEASE_FALLBACK);
  for (const path of [...LINUX_PACKAGE_FILES, ...LINUX_LICENCE_FILES, ...LINUX_HARDWARE_FILES]) await collector.copyFile(path);
  await captureDmi(collector);
  await captureNetworkAddresses(collector);
  if (options.runCommands ?? true) await captureCommands(collector);

  return {
    manifest: {
      format: EVIDENCE_FORMAT,
      platform: 'linux',
      capturedAt,
      hostname: options.hostname ?? osHostname(),
      agentVersion: AGENT_VERSION,
      errors: collector.errors,
    },
    files: collector.files,
    registry: [],
    wmi: new Map(),
    commands: collector.commands,
  };
}

async function captureDmi(collector: EvidenceCollector): Promise<void> {
  try {
    await access(collector.resolve(DMI_DIR));
  } catch {
    // Containers and some ARM boards have no SMBIOS: say so once rather than once per field.
    collector.recordError(DMI_DIR, 'no DMI/SMBIOS data on this machine (hardware uuid and serial unknown)');
    return;
  }
  for (const field of DMI_FIELDS) {
    const path = `${DMI_DIR}/${field}`;
    const copied = await collector.copyFile(path);
    if (!copied && !collector.errors.some((e) => e.source === path) && (field === 'product_uuid' || field === 'product_serial')) {
      collector.recordError(path, 'not present');
    }
  }
}

async function captureNetworkAddresses(collector: EvidenceCollector): Promise<void> {
  let names: string[];
  try {
    names = await readdir(collector.resolve(NET_CLASS_DIR));
  } catch (err) {
    collector.recordError(NET_CLASS_DIR, describeFsError(err));
    return;
  }
  for (const name of names.sort()) {
    if (VIRTUAL_INTERFACE_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const dir = join(collector.resolve(NET_CLASS_DIR), name);
    // A physical NIC has a `device` link to its bus device; bridges have a `bridge` folder.
    if (!(await exists(join(dir, 'device'))) || (await exists(join(dir, 'bridge')))) continue;
    await collector.copyFile(`${NET_CLASS_DIR}/${name}/address`);
  }
}

async function captureCommands(collector: EvidenceCollector): Promise<void> {
  const uname = await runCommand('uname', ['-srm'], UNAME_TIMEOUT_MS);
  if (uname.ok) collector.commands.set('uname', uname.stdout);
  else collector.recordError('uname -srm', uname.message);

  const rpm = await runCommand('rpm', ['-qa', '--queryformat', RPM_QUERY_FORMAT], RPM_TIMEOUT_MS);
  if (rpm.ok) collector.commands.set('rpm-qa', rpm.stdout);
  else if (!rpm.missing) collector.recordError('rpm -qa', rpm.message);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
