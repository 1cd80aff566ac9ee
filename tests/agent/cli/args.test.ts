import { readFile } from 'node:fs/promises';
import t from 'tap';
import { AGENT_VERSION } from '../../../agent/src/version.ts';
import { runCliInProcess } from './run-cli.ts';

t.test('the version is printed and matches agent/package.json', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../../../agent/package.json', import.meta.url), 'utf8'));
  t.equal(AGENT_VERSION, pkg.version);
  t.same(await runCliInProcess(['--version']), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
});

t.test('help lists every command and each command has its own help', async (t) => {
  const general = await runCliInProcess(['--help']);
  t.equal(general.code, 0);
  for (const command of ['enroll', 'run', 'scan', 'evidence capture', 'status']) t.match(general.stdout, new RegExp(`\\n  ${command} `));
  t.match(general.stdout, /Exit codes: 0 ok/);
  const run = await runCliInProcess(['run', '--help']);
  t.equal(run.code, 0);
  t.match(run.stdout, /Usage: zhengban-agent run/);
  t.match(run.stdout, /--once/);
  const capture = await runCliInProcess(['evidence', 'capture', '-h']);
  t.match(capture.stdout, /--out DIR\|FILE/);
});

const usageErrors: Array<[string, string[], RegExp]> = [
  ['no command', [], /no command given; see "zhengban-agent --help"/],
  ['an unknown command', ['sacn'], /unknown command "sacn"; commands: enroll, run, scan, evidence capture, (.*, )?status/],
  ['an unknown option', ['scan', '--jsno'], /unknown option --jsno; see "zhengban-agent scan --help"/],
  ['an option of another command', ['status', '--once'], /unknown option --once/],
  ['a missing value', ['enroll', '--server'], /--server needs a value/],
  ['a missing required option', ['enroll', '--server', 'http://server:8080'], /--token is required; see "zhengban-agent enroll --help"/],
  ['a server that is not a URL', ['enroll', '--server', 'server:8080/x y', '--token', 'abcdefgh123'], /--server: .*(not a URL|http)/],
  ['a wrong duration', ['run', '--interval', 'soon'], /--interval: "soon" is not a duration \(examples: 90s, 30m, 1h, 1d\)/],
  ['a too-short interval', ['run', '--interval', '1s'], /--interval: must be at least 10s/],
  ['a command group without its subcommand', ['evidence'], /"evidence" needs a subcommand: capture/],
  ['an unknown subcommand', ['evidence', 'upload'], /unknown command "evidence upload"; "evidence" takes: capture/],
  ['a stray argument', ['status', 'now'], /unexpected argument "now" for "status"/],
];

t.test('command-line mistakes exit with code 2 and one line naming the mistake', async (t) => {
  for (const [what, argv, message] of usageErrors) {
    const result = await runCliInProcess(argv);
    t.equal(result.code, 2, `${what}: exit code`);
    t.match(result.stderr, message, `${what}: message`);
    t.equal(result.stderr.trim().split('\n').length, 1, `${what}: one line`);
    t.match(result.stderr, /^zhengban-agent: /);
  }
});

t.test('options may come before the command', async (t) => {
  const result = await runCliInProcess(['--state-dir', '/nonexistent/zhengban-test', 'status', '--json']);
  t.equal(result.code, 3, 'not enrolled');
  t.match(JSON.parse(result.stdout), { stateDir: '/nonexistent/zhengban-test', enrolled: false, outboxLength: 0, connection: 'not running' });
});

t.test('running without enrolment says how to enrol (exit 3)', async (t) => {
  const result = await runCliInProcess(['run', '--once', '--state-dir', '/nonexistent/zhengban-test']);
  t.equal(result.code, 3);
  t.match(result.stderr, /not enrolled .*zhengban-agent enroll --server URL --token TOKEN/);
});

t.test('an unreadable evidence bundle is exit 6 with one line; --debug adds the stack', async (t) => {
  const plain = await runCliInProcess(['scan', '--evidence', '/nonexistent/bundle']);
  t.equal(plain.code, 6);
  t.equal(plain.stderr, 'zhengban-agent: cannot open evidence bundle /nonexistent/bundle: ENOENT\n');
  const debug = await runCliInProcess(['scan', '--evidence', '/nonexistent/bundle', '--debug']);
  t.equal(debug.code, 6);
  t.match(debug.stderr, /\n\s+at /, 'stack trace shown with --debug');
});
