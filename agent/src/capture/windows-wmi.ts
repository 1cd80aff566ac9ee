/**
 * CIM/WMI evidence: which classes and properties, the PowerShell that reads them all in one go,
 * and the wmic fallback for machines where PowerShell is blocked or too old. Pure: building the
 * commands and turning their output into `wmi/<Class>.json` values happen here, running them in
 * windows.ts.
 */

export interface WmiQuery {
  className: string;
  /** The properties interpretation reads, plus a few an inspector looks at. */
  properties: readonly string[];
  /** WQL condition (no quotes inside: it travels through PowerShell and wmic command lines). */
  filter?: string;
  /** The class exists only with some products (OSPP: Office 2010): its absence is not an error. */
  optional?: boolean;
}

const LICENSING_PROPERTIES = [
  'ID', 'Name', 'Description', 'ApplicationID', 'LicenseFamily', 'LicenseStatus', 'ProductKeyChannel', 'PartialProductKey',
  'GracePeriodRemaining', 'EvaluationEndDate', 'KeyManagementServiceMachine', 'KeyManagementServicePort',
  'DiscoveredKeyManagementServiceMachineName', 'DiscoveredKeyManagementServiceMachinePort', 'DiscoveredKeyManagementServiceMachineIpAddress',
] as const;

export const WMI_QUERIES: readonly WmiQuery[] = [
  // Only rows with a (partial) key are installed licences; the rest are hundreds of unused SKUs.
  { className: 'SoftwareLicensingProduct', properties: LICENSING_PROPERTIES, filter: 'PartialProductKey IS NOT NULL' },
  { className: 'OfficeSoftwareProtectionProduct', properties: LICENSING_PROPERTIES, filter: 'PartialProductKey IS NOT NULL', optional: true },
  {
    className: 'Win32_OperatingSystem',
    properties: ['Caption', 'Version', 'BuildNumber', 'OSArchitecture', 'OperatingSystemSKU', 'ProductType', 'InstallDate', 'LastBootUpTime', 'SerialNumber', 'TotalVisibleMemorySize', 'OSLanguage', 'CSName'],
  },
  { className: 'Win32_ComputerSystemProduct', properties: ['UUID', 'IdentifyingNumber', 'Vendor', 'Name', 'Version'] },
  { className: 'Win32_BIOS', properties: ['SerialNumber', 'Manufacturer', 'SMBIOSBIOSVersion', 'ReleaseDate'] },
  { className: 'Win32_ComputerSystem', properties: ['Manufacturer', 'Model', 'TotalPhysicalMemory', 'HypervisorPresent', 'PartOfDomain', 'Domain', 'Workgroup'] },
  { className: 'Win32_Processor', properties: ['Name', 'NumberOfCores'] },
  // Physical adapters only: virtual switches, VPN taps and Bluetooth PAN never identify the PC.
  { className: 'Win32_NetworkAdapter', properties: ['Name', 'Description', 'MACAddress', 'PhysicalAdapter', 'NetConnectionID'], filter: 'PhysicalAdapter = TRUE AND MACAddress IS NOT NULL' },
];

/** Key under which the script reports a class it could not read. */
const ERROR_KEY = '__error';

function psQuote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * One PowerShell command line that reads every class and prints one JSON object `{Class: rows}`
 * (a class that failed maps to `{"__error": message}`): PowerShell starts once, not once per
 * class (each start costs a second or more). Single-line, no double quotes, so it passes through
 * `-Command` unchanged; `-EncodedCommand` would be simpler but security products flag it.
 */
export function buildWmiPowerShellCommand(queries: readonly WmiQuery[] = WMI_QUERIES): string {
  const list = queries
    .map((q) => `,@(${psQuote(q.className)},${psQuote(q.filter ?? '')},@(${q.properties.map(psQuote).join(',')}))`)
    .join(';$q+=');
  return [
    "$ErrorActionPreference='Stop'",
    // UTF-8 out, whatever the console code page; constrained language mode forbids it, hence try.
    'try{[Console]::OutputEncoding=New-Object System.Text.UTF8Encoding $false}catch{}',
    `$q=@();$q+=${list}`,
    '$r=[ordered]@{}',
    // Select-Object stays inside the pipeline: piping an empty result through it would make one empty row.
    'foreach($c in $q){try{if($c[1]){$rows=@(Get-CimInstance -ClassName $c[0] -Filter $c[1]|Select-Object -Property $c[2])}' +
      'else{$rows=@(Get-CimInstance -ClassName $c[0]|Select-Object -Property $c[2])};$r[$c[0]]=$rows}' +
      `catch{$r[$c[0]]=@{${psQuote(ERROR_KEY)}=[string]$_.Exception.Message}}}`,
    'ConvertTo-Json -InputObject $r -Depth 4 -Compress',
  ].join(';');
}

export interface WmiCapture {
  /** `wmi/<Class>.json` values by class name: an array of rows, as ConvertTo-Json writes them. */
  classes: Map<string, unknown>;
  /** Classes that could not be read, with the reason. */
  failed: Map<string, string>;
}

/**
 * Splits the script's output into classes. Throws when the output holds no JSON object at all
 * (PowerShell 2 has no ConvertTo-Json; a blocked PowerShell prints an error): then wmic is tried.
 */
export function parseWmiPowerShellOutput(stdout: string, queries: readonly WmiQuery[] = WMI_QUERIES): WmiCapture {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`PowerShell printed no JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  const all = JSON.parse(stdout.slice(start, end + 1)) as Record<string, unknown>;
  const result: WmiCapture = { classes: new Map(), failed: new Map() };
  for (const q of queries) {
    const value = all[q.className];
    if (value && typeof value === 'object' && !Array.isArray(value) && ERROR_KEY in value) {
      result.failed.set(q.className, String((value as Record<string, unknown>)[ERROR_KEY]));
    } else if (value === undefined || value === null) {
      result.failed.set(q.className, 'not in the PowerShell output');
    } else {
      result.classes.set(q.className, Array.isArray(value) ? value : [value]);
    }
  }
  return result;
}

/**
 * wmic command lines for one class, tried in order until one works: the properties as a list;
 * the same as a table (the list format fails with "Invalid XSL format" where the XSL files do not
 * match the display language); every property (naming one that this Windows lacks, such as
 * ProductKeyChannel on Windows 7, fails the whole query).
 */
export function buildWmicAttempts(query: WmiQuery): string[][] {
  const base = ['path', query.className, ...(query.filter ? ['where', query.filter] : []), 'get'];
  const props = query.properties.join(',');
  return [
    [...base, props, '/format:list'],
    [...base, props],
    [...base, '/format:list'],
  ];
}

/** wmic text -> JSON value: TRUE/FALSE as booleans, empty as null, everything else as text. */
function wmicValue(text: string): unknown {
  if (text === '') return null;
  if (text === 'TRUE') return true;
  if (text === 'FALSE') return false;
  return text;
}

function shapeRow(found: Map<string, string>, query: WmiQuery): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const name of query.properties) {
    const key = [...found.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    row[name] = key === undefined ? null : wmicValue(found.get(key)!);
  }
  return row;
}

/** `Name=Value` lines, instances separated by blank lines (`/format:list`). */
function parseWmicListFormat(lines: string[], query: WmiQuery): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  let current = new Map<string, string>();
  const flush = () => {
    if (current.size > 0) rows.push(shapeRow(current, query));
    current = new Map();
  };
  for (const line of lines) {
    const match = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (match) {
      // A property repeated within one block means the next instance began without a blank line.
      if (current.has(match[1]!)) flush();
      current.set(match[1]!, match[2]!.trim());
    } else if (line.trim() === '') {
      flush();
    }
  }
  flush();
  return rows;
}

/** A header line of property names, then fixed-width rows: each column starts where its name does. */
function parseWmicTableFormat(lines: string[], query: WmiQuery): Array<Record<string, unknown>> {
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) return [];
  const header = lines[headerAt]!;
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index! }));
  const rows: Array<Record<string, unknown>> = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.trim() === '') continue;
    const found = new Map<string, string>();
    columns.forEach((c, i) => found.set(c.name, line.slice(c.start, columns[i + 1]?.start ?? line.length).trim()));
    rows.push(shapeRow(found, query));
  }
  return rows;
}

/**
 * Reads wmic output, in the list format (`Name=Value` blocks) or the table format (a header of
 * names over fixed-width columns), into rows shaped like PowerShell's: the query's properties in
 * its order, null when absent, TRUE/FALSE as booleans.
 */
export function parseWmicOutput(text: string, query: WmiQuery): Array<Record<string, unknown>> {
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r+$/, ''));
  if (lines.some((l) => /^[A-Za-z0-9_]+=/.test(l))) return parseWmicListFormat(lines, query);
  return parseWmicTableFormat(lines, query);
}

/** True when wmic's answer means "no instances" rather than an error ("No Instance(s) Available."). */
export function isWmicNoInstances(text: string): boolean {
  return /no instance\(s\) available|没有可用的实例|沒有可用的執行個體/i.test(text);
}
