import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { EnrollError, enrollAgent } from '../../../agent/src/transport/enroll.ts';
import { ProtocolServer, TEST_AGENT, TEST_TOKEN } from './protocol-server.ts';

const request = { token: TEST_TOKEN, hostname: 'pc-01', platform: 'linux' as const, agentVersion: '0.1.0', hardware: { macs: ['e0:d5:5e:aa:bb:cc'] } };

t.test('enrolment trades the token for credentials, below any path prefix the server URL has', async (t) => {
  const server = await new ProtocolServer().start();
  t.teardown(() => server.stop());
  t.same(await enrollAgent(`${server.url}/`, request), TEST_AGENT);
  t.match(server.memory.enrolments[0], request);
});

t.test('enrolment failures say what to check', async (t) => {
  const server = await new ProtocolServer().start();
  t.teardown(() => server.stop());
  const cases: Array<[string, string, typeof request, RegExp, EnrollError['kind']]> = [
    ['a wrong token', server.url, { ...request, token: 'wrong-token' }, /refused the enrolment token \(HTTP 401: invalid enrolment token\)/, 'rejected'],
    ['a wrong path', `${server.url}/zhengban`, request, /\/zhengban\/agent\/enroll does not exist \(HTTP 404\): is .* a zhengban server\?/, 'protocol'],
  ];
  for (const [what, url, body, message, kind] of cases) {
    const err = await enrollAgent(url, body).catch((e: unknown) => e);
    t.type(err, EnrollError, what);
    t.match((err as EnrollError).message, message, what);
    t.equal((err as EnrollError).kind, kind, what);
  }
});

t.test('a web server that is not zhengban is recognised as such', async (t) => {
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome to nginx</html>'));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  t.teardown(() => http.close());
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  await t.rejects(enrollAgent(url, request), { kind: 'protocol', message: /did not answer with JSON: is .* a zhengban server\?/ });
});

t.test('a redirect is not followed: the error names where it points (a POST has no business being redirected)', async (t) => {
  const http = createServer((_req, res) => res.writeHead(301, { location: 'https://zhengban.example/agent/enroll' }).end());
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  t.teardown(() => http.close());
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  await t.rejects(enrollAgent(url, request), { kind: 'protocol', message: /\/agent\/enroll redirects to https:\/\/zhengban\.example\/agent\/enroll \(HTTP 301\); enrol with the server's own address instead/ });
});

t.test('a server that is down is unreachable, with the socket error named', async (t) => {
  const http = createServer();
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  await new Promise((resolve) => http.close(resolve));
  await t.rejects(enrollAgent(url, request), { kind: 'unreachable', message: /cannot reach the server at .*\/agent\/enroll \(ECONNREFUSED\); check the URL and that the server is running/ });
});
