/** Where this Windows machine keeps the folders capture looks in (%SystemRoot%, %ProgramFiles%, ...). */
export interface WindowsFolders {
  systemRoot: string;
  programFiles: string;
  /** Absent on 32-bit Windows. */
  programFilesX86?: string;
  programData: string;
  /** A 32-bit process on 64-bit Windows: file and registry views are redirected. */
  wow64: boolean;
}

/**
 * Reads the folders from the environment Windows gives every process. These are facts about the
 * machine (Windows may live on D:), not configuration, so capture reads them itself. A 32-bit
 * process sees the x86 folder as %ProgramFiles%; %ProgramW6432% is the native one.
 */
export function windowsFoldersFromEnv(env: Record<string, string | undefined>): WindowsFolders {
  const get = (name: string) => {
    const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : env[key]?.trim();
    return value ? value.replace(/\\+$/, '') : undefined;
  };
  const systemDrive = get('SystemDrive') ?? 'C:';
  const folders: WindowsFolders = {
    systemRoot: get('SystemRoot') ?? get('windir') ?? `${systemDrive}\\Windows`,
    programFiles: get('ProgramW6432') ?? get('ProgramFiles') ?? `${systemDrive}\\Program Files`,
    programData: get('ProgramData') ?? `${systemDrive}\\ProgramData`,
    wow64: get('PROCESSOR_ARCHITEW6432') !== undefined,
  };
  const x86 = get('ProgramFiles(x86)');
  if (x86) folders.programFilesX86 = x86;
  return folders;
}

const VARIABLES: Record<string, (f: WindowsFolders) => string | undefined> = {
  systemroot: (f) => f.systemRoot,
  windir: (f) => f.systemRoot,
  programfiles: (f) => f.programFiles,
  'programfiles(x86)': (f) => f.programFilesX86,
  programdata: (f) => f.programData,
};

/** `%ProgramFiles%\KMSpico` -> `C:\Program Files\KMSpico`; undefined when a variable has no value here. */
export function expandWindowsPath(template: string, folders: WindowsFolders): string | undefined {
  let missing = false;
  const path = template.replace(/%([^%]+)%/g, (_m, name: string) => {
    const value = VARIABLES[name.toLowerCase()]?.(folders);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : path;
}
