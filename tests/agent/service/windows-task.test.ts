import t from 'tap';
import { agentLaunchCommand } from '../../../agent/src/service/launch.ts';
import { planWindowsInstall, planWindowsUninstall, quoteWindowsArg, renderScheduledTaskXml } from '../../../agent/src/service/windows-task.ts';

const STATE = 'C:\\ProgramData\\zhengban\\agent';
const SEA = { isSea: true, execPath: 'C:\\Program Files\\zhengban\\zhengban-agent-win-x64.exe', execArgv: [], cwd: 'C:\\Users\\admin' };

/** The value between <tag> and </tag>, XML entities decoded. */
function element(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1]!.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

t.test('the task runs the single executable as SYSTEM at boot, and again within 5 minutes of a crash', async (t) => {
  const xml = renderScheduledTaskXml(agentLaunchCommand(SEA, STATE, true));
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-16"\?>\r\n<Task version="1\.2" /, 'schema 1.2: Windows 7 and later');
  t.equal(element(xml, 'UserId'), 'S-1-5-18', 'LocalSystem');
  t.match(xml, /<BootTrigger>\s*<Enabled>true<\/Enabled>\s*<\/BootTrigger>/, 'starts at boot, before anyone logs on');
  t.equal(element(xml, 'Interval'), 'PT5M', 'the repeating trigger restarts it after a crash');
  t.equal(element(xml, 'MultipleInstancesPolicy'), 'IgnoreNew', 'and never starts a second one');
  t.equal(element(xml, 'ExecutionTimeLimit'), 'PT0S', 'runs forever');
  t.equal(element(xml, 'DisallowStartIfOnBatteries'), 'false', 'laptops on battery report too');
  t.equal(element(xml, 'Command'), SEA.execPath);
  t.equal(element(xml, 'Arguments'), 'run --state-dir C:\\ProgramData\\zhengban\\agent');
  t.equal(element(xml, 'WorkingDirectory'), STATE);
});

t.test('arguments are quoted so that the agent receives them unchanged', async (t) => {
  const cases: Array<[string, string]> = [
    ['run', 'run'],
    ['C:\\Program Files\\x', '"C:\\Program Files\\x"'],
    ['C:\\state dir\\', '"C:\\state dir\\\\"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['a\\"b', '"a\\\\\\"b"'],
    ['', '""'],
  ];
  for (const [arg, quoted] of cases) t.equal(quoteWindowsArg(arg), quoted, arg);
  const xml = renderScheduledTaskXml(agentLaunchCommand(SEA, 'D:\\正版 & co\\state', true));
  t.equal(element(xml, 'Arguments'), 'run --state-dir "D:\\正版 & co\\state"', '& is escaped in the XML and the path quoted');
});

t.test('install registers the task from its XML, replacing an older one, and starts it; uninstall stops and deletes it', async (t) => {
  const plan = planWindowsInstall(agentLaunchCommand(SEA, STATE, true), STATE, 'C:\\Windows');
  t.match(plan[0], { kind: 'write-file', path: `${STATE}\\zhengban-agent-task.xml`, encoding: 'utf16le-bom' }, 'schtasks reads UTF-16 XML');
  t.same(plan.slice(1).map((s) => (s.kind === 'run' ? [s.program, ...s.args].join(' ') : s.kind)), [
    `C:\\Windows\\System32\\schtasks.exe /Create /TN zhengban-agent /XML ${STATE}\\zhengban-agent-task.xml /F`,
    'C:\\Windows\\System32\\schtasks.exe /End /TN zhengban-agent',
    'C:\\Windows\\System32\\schtasks.exe /Run /TN zhengban-agent',
  ]);
  t.same(planWindowsUninstall('C:\\Windows').map((s) => (s.kind === 'run' ? s.args[0] : s.kind)), ['/End', '/Delete']);
});
