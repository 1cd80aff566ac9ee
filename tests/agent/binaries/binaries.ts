/**
 * Shared by the tests that run the real agent executables: building them once per source state,
 * finding the Debian packages each group needs, and running a binary natively, under qemu-user or
 * under wine.
 */
import { execFile, spawn } from 'node:child_process';
import { access, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_DIST_DIR, type BuildResult, REPO_ROOT, buildAgentBinaries } from '../../../agent/scripts/build-binaries.ts';
import { withBuildLock } from '../../../agent/scripts/build/lock.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The first of `paths` that exists. */
async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}

export const QEMU_AARCH64 = '/usr/bin/qemu-aarch64-static';
export const AARCH64_SYSROOT = '/usr/aarch64-linux-gnu';

/** Why the arm64 binary cannot run here, or false when it can. */
export async function qemuMissing(): Promise<string | false> {
  if (!(await exists(QEMU_AARCH64))) return 'qemu-user-static is not installed; install with: apt-get install -y qemu-user-static';
  if (!(await exists(join(AARCH64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1')))) return 'the arm64 C library is not installed; install with: apt-get install -y libc6-arm64-cross';
  if (!(await exists(join(AARCH64_SYSROOT, 'lib', 'libstdc++.so.6')))) return 'the arm64 C++ library is not installed; install with: apt-get install -y libstdc++6-arm64-cross';
  return false;
}

/** wine's 64-bit loader: Debian's wine64 package puts it in /usr/lib/wine without a PATH entry. */
export async function findWine(): Promise<string | undefined> {
  return firstExisting(['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine']);
}

/** Why the Windows binary cannot be built or run here, or false when it can. */
export async function wineMissing(): Promise<string | false> {
  if (!(await firstExisting(['/usr/bin/osslsigncode']))) return 'osslsigncode is not installed (needed to build the Windows binary); install with: apt-get install -y osslsigncode';
  if (!(await findWine())) return 'wine is not installed; install with: apt-get install -y wine64';
  return false;
}

let built: Promise<BuildResult> | undefined;

/**
 * The agent executables, built by `npm run build:agent`'s code when the sources changed since the
 * last build (the build key is a hash of the sources), else taken as they are. The Windows binary
 * is built only where osslsigncode exists. Parallel test files wait for one build.
 */
export function agentBinaries(): Promise<BuildResult> {
  built ??= (async () => {
    const targets = ['linux-x64', 'linux-arm64'];
    if (await exists('/usr/bin/osslsigncode')) targets.push('win-x64');
    return buildAgentBinaries({ targets, log: () => {} });
  })();
  return built;
}

export { AGENT_DIST_DIR, REPO_ROOT };

/** Runs a program; never throws. `env` is added to this process's environment. */
export function runProgram(file: string, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** Runs the arm64 binary under qemu-user with the cross C library. */
export function runUnderQemu(binary: string, args: string[], timeoutMs = 180_000): Promise<RunResult> {
  return runProgram(QEMU_AARCH64, [binary, ...args], { env: { QEMU_LD_PREFIX: AARCH64_SYSROOT }, timeoutMs });
}

/**
 * Keeps the prefix's wineserver (and wine's service processes) up for 5 minutes after the last
 * program ends: otherwise each separate wine run starts them again, ten seconds on a busy machine.
 * It exits by itself.
 */
async function keepWineServerUp(prefix: string): Promise<void> {
  const server = await firstExisting(['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver', '/usr/bin/wineserver']);
  if (server) await runProgram(server, ['-p300'], { env: { WINEPREFIX: prefix }, timeoutMs: 30_000 });
}

/** A wine prefix set to Windows 10, made once and reused (tests/.tmp is not committed). */
export async function winePrefix(): Promise<string> {
  const prefix = join(REPO_ROOT, 'tests', '.tmp', 'wine-prefix');
  const ready = join(REPO_ROOT, 'tests', '.tmp', 'wine-prefix.ready');
  if (await exists(ready)) {
    await keepWineServerUp(prefix);
    return prefix;
  }
  await mkdir(join(REPO_ROOT, 'tests', '.tmp'), { recursive: true });
  await withBuildLock(join(REPO_ROOT, 'tests', '.tmp', 'wine-prefix.lock'), async () => {
    if (await exists(ready)) return;
    await rm(prefix, { recursive: true, force: true });
    const wine = (await findWine())!;
    const result = await runProgram(wine, ['winecfg', '/v', 'win10'], { env: { WINEPREFIX: prefix, WINEDEBUG: '-all' }, timeoutMs: 300_000 });
    if (result.code !== 0) throw new Error(`winecfg /v win10 failed: ${result.stderr}`);
    await writeFile(ready, `${new Date().toISOString()}\n`);
  });
  await keepWineServerUp(prefix);
  return prefix;
}

/** `/tmp/x` as wine shows it to Windows programs: `Z:\tmp\x`. */
export function windowsPath(unixPath: string): string {
  return `Z:${unixPath.replace(/\//g, '\\')}`;
}

/**
 * Runs a Windows program under wine. Its stdout and stderr go to files, not pipes (wine's console
 * handling loses piped output), and are read back afterwards.
 */
export async function runUnderWine(exe: string, args: string[], workDir: string, timeoutMs = 240_000): Promise<RunResult> {
  const wine = (await findWine())!;
  const prefix = await winePrefix();
  const outPath = join(workDir, `wine-${Date.now()}-${Math.random().toString(16).slice(2)}.out`);
  const errPath = `${outPath}.err`;
  const [out, err] = [await open(outPath, 'w'), await open(errPath, 'w')];
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(wine, [exe, ...args], {
        env: { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' },
        stdio: ['ignore', out.fd, err.fd],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 1);
      });
    });
    return { code, stdout: await readFile(outPath, 'utf8'), stderr: await readFile(errPath, 'utf8') };
  } finally {
    await out.close();
    await err.close();
  }
}
