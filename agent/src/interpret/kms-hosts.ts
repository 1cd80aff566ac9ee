/**
 * KMS hosts run on the public internet for activating any copy (FIELD-FACTS: a KMS client
 * activated against one of these, or against itself, is not licensed). Matched as the host or
 * any subdomain of it. Whether a *private* host is the unit's approved one is the server's call.
 */
export const PUBLIC_KMS_HOSTS = [
  'msguides.com',
  'kms.03k.org',
  'kms.digiboy.ir',
  'kms.chinancce.com',
  'kms.library.hk',
  'kms.loli.beer',
  'kms.loli.best',
  'kms.lolico.moe',
  'kms.cangshui.net',
  'kms.lotro.cc',
  'kms.jm33.me',
  'kms.moeclub.org',
  'kms.ddz.red',
  'kms.wxlost.com',
  'kms.v0v.bid',
  'kms.shuax.com',
  'kms.bige0.com',
  'kms.zhuxiaole.org',
  'kms.guowaifuli.com',
  'kms.luody.info',
  'kms.cgtsoft.com',
  'kms.srv.crsoo.com',
  'kms.mrxn.net',
  'kms.xspace.in',
  'kms.ghpym.com',
  'kms.wlrxy.cn',
  'kms.catqu.com',
  'kms.ymgblog.com',
  'kms.litbear.cn',
  'kms.sixyin.com',
  'kms.kuretru.com',
  'kms.iaini.net',
  'kms.qkeke.com',
  'kms.cary.tech',
  'kms.bdfyy.com',
  'kms.kmzs123.cn',
  'kms.mogeko.me',
  'kms.myds.cloud',
  'kms.ch-life.cn',
  'skms.netnr.eu.org',
  'xincheng213618.cn',
  'zh.us.to',
  'kms.srv.ddz.red',
  'kms.yuanxu.org',
  'kms.6688.tech',
  'kms.ucloud.tw',
];

/** Host part of `host`, `host:port`, `[v6]:port`, lower-cased, without a trailing dot. */
export function kmsHostName(value: string): string {
  const v = value.trim().toLowerCase();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracket) return bracket[1]!;
  // A bare IPv6 address has several colons; only strip a port from host:port.
  const hostPort = /^([^:]+):\d+$/.exec(v);
  return (hostPort ? hostPort[1]! : v).replace(/\.$/, '');
}

/** Why a KMS host is not a licence source, or undefined when it may be a legitimate private host. */
export function publicKmsReason(value: string): string | undefined {
  const host = kmsHostName(value);
  if (host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '0:0:0:0:0:0:0:1') {
    return `loopback address ${host}: the machine activates against itself (an emulated KMS)`;
  }
  const match = PUBLIC_KMS_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
  return match ? `${host} is a public KMS service that activates any copy` : undefined;
}
