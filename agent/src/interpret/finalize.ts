import {
  type Activation,
  type Finding,
  type Hardware,
  Inventory,
  MAX_FINDINGS,
  MAX_HOSTNAME_LENGTH,
  MAX_ID_LENGTH,
  MAX_MACS,
  MAX_NAME_LENGTH,
  MAX_OFFICE_SUITES,
  MAX_PUBLISHER_LENGTH,
  MAX_SOFTWARE_ENTRIES,
  MAX_TEXT_LENGTH,
  MAX_VERSION_LENGTH,
  type OfficeSuite,
  type OperatingSystem,
  type Software,
  cleanString,
  softwareKey,
} from '@zhengban/protocol';

/** A capture step that failed (protocol's CaptureError). */
export interface CaptureErrorDraft {
  source: string;
  message: string;
}

/** What a platform interpreter produces before strings are cleaned and limits applied. */
export interface InventoryDraft {
  collectedAt: string;
  hostname: string;
  agentVersion: string;
  hardware: Hardware;
  os: OperatingSystem;
  office: OfficeSuite[];
  software: Software[];
  findings: Finding[];
  captureErrors: CaptureErrorDraft[];
}

/** cleanString for optional text: undefined when nothing printable is left. */
function opt(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const v = cleanString(value, max);
  return v === '' ? undefined : v;
}

/** Drops keys whose value is undefined, so the JSON (and the hash) carry no `"x": undefined` noise. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function cleanActivation(a: Activation): Activation {
  return compact({
    status: a.status,
    channel: a.channel,
    kmsHost: opt(a.kmsHost, MAX_HOSTNAME_LENGTH),
    expires: opt(a.expires, 40),
  });
}

function cleanHardware(h: Hardware): Hardware {
  return compact({
    uuid: opt(h.uuid, 64),
    serial: opt(h.serial, 128),
    vendor: opt(h.vendor, MAX_PUBLISHER_LENGTH),
    model: opt(h.model, MAX_NAME_LENGTH),
    machineId: opt(h.machineId, 64),
    macs: [...new Set(h.macs.map((m) => cleanString(m, 17)).filter((m) => m !== ''))].slice(0, MAX_MACS),
    cpu: opt(h.cpu, MAX_NAME_LENGTH),
    memoryMb: h.memoryMb,
    virtual: h.virtual,
  });
}

function cleanOs(os: OperatingSystem): OperatingSystem {
  return compact({
    family: os.family,
    product: cleanString(os.product, MAX_NAME_LENGTH) || 'Unknown',
    edition: opt(os.edition, 64),
    version: opt(os.version, MAX_VERSION_LENGTH),
    build: opt(os.build, MAX_VERSION_LENGTH),
    arch: cleanString(os.arch, 32) || 'unknown',
    kernel: opt(os.kernel, MAX_VERSION_LENGTH),
    activation: cleanActivation(os.activation),
  });
}

function cleanSoftware(s: Software): Software | undefined {
  const id = cleanString(s.id, MAX_ID_LENGTH);
  const name = cleanString(s.name, MAX_NAME_LENGTH);
  if (id === '' || name === '') return undefined;
  return compact({
    id,
    name,
    version: opt(s.version, MAX_VERSION_LENGTH),
    publisher: opt(s.publisher, MAX_PUBLISHER_LENGTH),
    installDate: s.installDate && /^\d{4}-\d{2}-\d{2}$/.test(s.installDate) ? s.installDate : undefined,
    source: s.source,
    hive: opt(s.hive, 128),
    arch: opt(s.arch, 32),
  });
}

/**
 * Turns a draft into a valid Inventory: every string through protocol's `cleanString` with the
 * column limits, software deduplicated by `softwareKey` (first wins), findings deduplicated by
 * code + evidence, lists capped at the protocol maximums (with a capture error saying so rather
 * than a report the server would refuse). Throws only on a programming error: the result is
 * checked with `Inventory.parse`.
 */
export function finalizeInventory(draft: InventoryDraft): Inventory {
  const captureErrors = draft.captureErrors
    .map((e) => ({ source: cleanString(e.source, MAX_NAME_LENGTH) || 'capture', message: cleanString(e.message, MAX_TEXT_LENGTH) || 'failed' }))
    .slice(0, 190);

  const software = new Map<string, Software>();
  for (const raw of draft.software) {
    const s = cleanSoftware(raw);
    if (s && !software.has(softwareKey(s))) software.set(softwareKey(s), s);
  }
  let softwareList = [...software.values()];
  if (softwareList.length > MAX_SOFTWARE_ENTRIES) {
    captureErrors.push({ source: 'software', message: `${softwareList.length} entries found; only the first ${MAX_SOFTWARE_ENTRIES} are reported` });
    softwareList = softwareList.slice(0, MAX_SOFTWARE_ENTRIES);
  }

  const findings = new Map<string, Finding>();
  for (const f of draft.findings) {
    const evidence = cleanString(f.evidence, MAX_TEXT_LENGTH);
    const key = `${f.code}|${evidence}`;
    if (!findings.has(key)) findings.set(key, { code: f.code, severity: f.severity, evidence });
  }

  const office = draft.office.slice(0, MAX_OFFICE_SUITES).map((o) =>
    compact({
      vendor: o.vendor,
      product: cleanString(o.product, MAX_NAME_LENGTH) || 'Unknown office suite',
      edition: cleanString(o.edition, 64) || 'unknown',
      version: opt(o.version, MAX_VERSION_LENGTH),
      scope: o.scope,
      activation: cleanActivation(o.activation),
    }),
  );

  return Inventory.parse({
    collectedAt: draft.collectedAt,
    hostname: cleanString(draft.hostname, MAX_HOSTNAME_LENGTH) || 'unknown',
    agentVersion: cleanString(draft.agentVersion, 64) || 'unknown',
    hardware: cleanHardware(draft.hardware),
    os: cleanOs(draft.os),
    office,
    software: softwareList,
    findings: [...findings.values()].slice(0, MAX_FINDINGS),
    captureErrors,
  });
}
