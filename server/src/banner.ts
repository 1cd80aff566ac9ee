import { networkInterfaces } from 'node:os';
import type { BootstrapResult } from './bootstrap/bootstrap.ts';

export interface BannerInput {
  /** URL this machine's agent and browser use. */
  url: string;
  /** URLs other PCs on the network can use (empty when a public URL is configured). */
  lanUrls: string[];
  database: string;
  bootstrap: BootstrapResult;
}

/**
 * The URL to print: the configured public URL, else the listening address, with a wildcard host
 * replaced by 127.0.0.1 (the agent on this machine reaches the server there).
 */
export function localUrl(publicUrl: string | undefined, host: string, port: number): string {
  if (publicUrl) return publicUrl;
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const shown = wildcard ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** http://<address>:<port> for each non-internal IPv4 address, when listening on all interfaces. */
export function lanUrls(publicUrl: string | undefined, host: string, port: number): string[] {
  if (publicUrl || (host !== '0.0.0.0' && host !== '::')) return [];
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a!.address}:${port}`);
}

/**
 * What `npm start` prints once it listens: where to go, how to sign in, and the exact commands
 * that enrol this machine's agent — plain lines, made to be copied.
 */
export function formatBanner(input: BannerInput): string {
  const { url, bootstrap } = input;
  const lines = [
    '',
    `zhengban server is running at ${url}`,
    `  database: ${input.database}`,
    ...(input.lanUrls.length ? [`  other PCs on the network: ${input.lanUrls.join('  ')}`] : []),
    '',
    'Dashboard sign-in:',
    `  username: ${bootstrap.admin.username}`,
    bootstrap.admin.generatedPassword
      ? `  password: ${bootstrap.admin.generatedPassword}    (generated now and shown only this once; you will be asked to change it)`
      : bootstrap.admin.createdNow
        ? '  password: the value of ZHENGBAN_ADMIN_PASSWORD'
        : '  password: as set earlier (ZHENGBAN_ADMIN_PASSWORD applies only when the admin is first created)',
    '',
    `Enrol this machine's agent (token valid for 24 hours, default unit):`,
    `  npx zhengban-agent enroll --server ${url} --token ${bootstrap.startupToken}`,
    '  npx zhengban-agent run',
    '',
  ];
  return lines.join('\n');
}
