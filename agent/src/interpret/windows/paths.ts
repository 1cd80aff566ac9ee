/** Registry locations interpretation reads on Windows (capture exports these; see agent/CORPUS.md). */
export const UNINSTALL_SUFFIX = 'Microsoft\\Windows\\CurrentVersion\\Uninstall';
export const HKLM_UNINSTALL = `HKLM\\SOFTWARE\\${UNINSTALL_SUFFIX}`;
export const HKLM_WOW64_UNINSTALL = `HKLM\\SOFTWARE\\WOW6432Node\\${UNINSTALL_SUFFIX}`;
export const CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
export const SPP = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform';
export const C2R_CONFIGURATION = 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration';
export const IFEO = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options';
export const TASK_TREE = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree';
export const TASK_TASKS = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks';
export const SERVICES = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
export const CRYPTOGRAPHY = 'HKLM\\SOFTWARE\\Microsoft\\Cryptography';
export const ENVIRONMENT = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment';
export const COMPUTER_NAME = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName';
