/**
 * Issue #2, acceptance 1: from a fresh start, `npm start` serves with an empty database, the agent
 * enrols with the command the server printed, and the dashboard API lists this very machine with
 * one software entry per package dpkg has installed.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import t from 'tap';
import { createStateDir, readAgentCredentials, runAgent, runPrintedCommand } from './helpers/agent-cli.ts';
import { ApiClient } from './helpers/api.ts';
import { createServerDatabase } from './helpers/server-database.ts';
import { ServerProcess } from './helpers/server-process.ts';

// Several real processes (server, agent CLIs) start one after another; on a loaded 2-core machine
// that takes minutes. Waits inside are bounded on their own (helpers/output-lines.ts).
t.setTimeout(600_000);

const DPKG_STATUS = '/var/lib/dpkg/status';

/** `name:arch` of every stanza in state "install ok installed": what the software list must hold. */
function installedDpkgIds(status: string): string[] {
  return status
    .split(/\n(?=Package: )/)
    .filter((stanza) => /^Status: install ok installed$/m.test(stanza))
    .map((stanza) => `${/^Package: (\S+)/m.exec(stanza)![1]}:${/^Architecture: (\S+)/m.exec(stanza)![1]}`)
    .sort();
}

t.test('a fresh server, enrolled with its printed command, lists this machine with every installed dpkg package', async (t) => {
  const status = await readFile(DPKG_STATUS, 'utf8');
  // The same count as `grep -c '^Status: install ok installed' /var/lib/dpkg/status`.
  const installedCount = status.match(/^Status: install ok installed$/gm)?.length ?? 0;
  t.ok(installedCount > 0, `this machine has ${installedCount} installed dpkg packages`);

  const database = await createServerDatabase();
  t.teardown(() => database.remove());
  // No HOST, no admin password, no token in the environment: exactly what `npm start` gets.
  const { server, banner } = await ServerProcess.start({ database });
  t.teardown(() => server.stop());

  t.match(banner.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the banner prints a URL this machine can reach');
  t.equal(banner.username, 'admin');
  t.match(banner.password, /^\S{12,}$/, 'a generated admin password is printed once');
  t.match(banner.enrollCommand, new RegExp(`^npx zhengban-agent enroll --server ${banner.url} --token \\S+$`));
  t.equal(banner.runCommand, 'npx zhengban-agent run');

  const stateDir = await createStateDir();
  // As printed, plus a state directory: as root the default is /var/lib/zhengban-agent.
  const enrolled = await runPrintedCommand(banner.enrollCommand, ['--state-dir', stateDir]);
  t.equal(enrolled.code, 0, `the printed enrol command succeeds (stderr: ${enrolled.stderr})`);
  const { agentId, serverUrl } = await readAgentCredentials(stateDir);
  t.equal(serverUrl, banner.url, 'the agent remembers the server it enrolled with');

  const ran = await runAgent(['run', '--once', '--state-dir', stateDir]);
  t.equal(ran.code, 0, `run --once delivers and exits 0 (stderr: ${ran.stderr})`);
  t.match(ran.stdout, /delivered: 1 report\(s\) acknowledged/);
  t.match(server.reports(agentId), [{ type: 'inventory.full', seq: 1, result: 'applied', rowsUpserted: installedCount }], 'the server applied one full report');

  const api = await ApiClient.login(banner.url, banner.username, banner.password!);
  const machines = await api.machines();
  t.equal(machines.length, 1, 'one machine is listed');
  const [machine] = machines;
  t.equal(machine!.hostname, hostname());
  t.equal(machine!.softwareCount, installedCount, 'its software count equals the installed dpkg packages');
  t.equal(machine!.os.product, /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(await readFile('/etc/os-release', 'utf8'))?.[1], 'its OS is the one /etc/os-release names');

  const detail = await api.machine(machine!.id);
  t.same(
    detail.software.filter((s) => s.source === 'dpkg').map((s) => s.id).sort(),
    installedDpkgIds(status),
    'the software list is exactly the installed packages (name:arch)',
  );
  t.same(detail.agents.map((a) => a.id), [agentId], 'the enrolled agent is attached to it');
});
