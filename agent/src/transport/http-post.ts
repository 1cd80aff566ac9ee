import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  /** The Location header of a redirect, when any. */
  location?: string;
  text: string;
}

/** Answers larger than this are not what the agent talks to. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * POSTs JSON with node's http/https client and reads the answer as text. Not fetch(): under wine
 * (how the Windows binary is tested) fetch's own socket code (undici) fails with "connect
 * UNKNOWN" where node's http client, like the WebSocket client, connects. Redirects are not
 * followed: a POST has no business being redirected, and the caller says where to.
 * Rejects with the socket error (its `code`: ECONNREFUSED, ENOTFOUND, ...) or a timeout error.
 */
export function postJson(url: URL, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' },
      timeout: timeoutMs,
    });
    // `timeout` only covers idle sockets; this bounds the whole exchange.
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ...(location ? { location } : {}) });
      });
    });
    req.end(payload);
  });
}
