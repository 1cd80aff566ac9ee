import { EVIDENCE_FORMAT, type EvidenceBundle } from '../../../agent/src/evidence/index.ts';

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';

function dpkgStatus(packages: string[]): string {
  return packages
    .map((p) => {
      const [name, version] = p.split('@');
      return `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nMaintainer: Debian <debian@example.org>\nVersion: ${version ?? '1.0-1'}\nDescription: ${name}\n`;
    })
    .join('\n');
}

/** A plain Debian 12 PC's evidence with the given dpkg packages (name@version). */
export function debianBundle(packages: string[], capturedAt = '2026-11-28T10:00:00.000Z'): EvidenceBundle {
  const text = (s: string) => new TextEncoder().encode(s);
  return {
    manifest: { format: EVIDENCE_FORMAT, platform: 'linux', capturedAt, hostname: 'pc-01', agentVersion: '0.1.0', errors: [] },
    files: new Map([
      ['etc/os-release', text(OS_RELEASE)],
      ['etc/debian_version', text('12.8\n')],
      ['etc/machine-id', text('0f6a1c2e3d4b5a69788796a5b4c3d2e1\n')],
      ['var/lib/dpkg/status', text(dpkgStatus(packages))],
      ['sys/class/dmi/id/product_uuid', text('4c4c4544-0042-3510-8052-b4c04f4e3732\n')],
      ['sys/class/net/eno1/address', text('e0:d5:5e:aa:bb:cc\n')],
    ]),
    registry: [],
    wmi: new Map(),
    commands: new Map([['uname', 'Linux 6.1.0-28-amd64 x86_64\n']]),
  };
}
