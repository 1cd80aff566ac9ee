/**
 * Copy-paste install commands per OS, with the server URL and the enrolment token filled in. Each
 * downloads the executable from this server, checks its SHA-256 when the server knows it, enrols
 * and registers the service. Pure: the deployment page shows them, tests run them.
 */

/** An agent executable the server offers (GET /agent/downloads). */
export interface AgentDownload {
  platform: 'win-x64' | 'linux-x64' | 'linux-arm64';
  os: 'windows' | 'linux';
  file: string;
  path: string;
  built: boolean;
  size: number | null;
  sha256: string | null;
  builtAt: string | null;
}

function linuxCommands(serverUrl: string, token: string, file: string, sha256: string | null): string {
  return [
    `curl -fLO ${serverUrl}/agent/downloads/${file}`,
    ...(sha256 ? [`echo "${sha256}  ${file}" | sha256sum -c -`] : []),
    `chmod +x ./${file}`,
    `sudo ./${file} enroll --server ${serverUrl} --token ${token}`,
    `sudo ./${file} install`,
  ].join('\n');
}

function windowsCommands(serverUrl: string, token: string, file: string, sha256: string | null): string {
  return [
    `Invoke-WebRequest -UseBasicParsing -Uri ${serverUrl}/agent/downloads/${file} -OutFile ${file}`,
    ...(sha256 ? [`if ((Get-FileHash .\\${file} -Algorithm SHA256).Hash -ne '${sha256.toUpperCase()}') { throw 'SHA-256 mismatch: download again' }`] : []),
    `.\\${file} enroll --server ${serverUrl} --token ${token}`,
    `.\\${file} install`,
  ].join('\n');
}

/** The commands of every platform; `downloads` supplies file names and checksums (absent = not known yet). */
export function installCommands(serverUrl: string, token: string, downloads: readonly AgentDownload[] = []) {
  const of = (platform: AgentDownload['platform'], file: string) => {
    const download = downloads.find((d) => d.platform === platform);
    return { file: download?.file ?? file, sha256: download?.built ? download.sha256 : null };
  };
  const x64 = of('linux-x64', 'zhengban-agent-linux-x64');
  const arm64 = of('linux-arm64', 'zhengban-agent-linux-arm64');
  const win = of('win-x64', 'zhengban-agent-win-x64.exe');
  return {
    linux: linuxCommands(serverUrl, token, x64.file, x64.sha256),
    linuxArm: linuxCommands(serverUrl, token, arm64.file, arm64.sha256),
    windows: windowsCommands(serverUrl, token, win.file, win.sha256),
    // From a checkout of the repository with Node.js 20 (npm install done): the same agent, from its source.
    source: [`npx zhengban-agent enroll --server ${serverUrl} --token ${token}`, `npx zhengban-agent run`].join('\n'),
  };
}
