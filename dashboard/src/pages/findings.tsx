import { Alert, Card, Empty, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useCatalog } from '../catalog.ts';
import { ServerSearch } from '../components/server-search.tsx';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { findingName, findingRemedy, findingSummary, KNOWN_FINDING_CODES, SEVERITY_NAMES, severityName } from '../finding-codes.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { SEVERITY_COLOURS } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import { isBureau } from '../roles.ts';
import { useApi } from '../use-api.ts';

interface FindingItem {
  id: string;
  machineId: string;
  hostname: string;
  orgId: string;
  orgName: string;
  code: string;
  subject: string | null;
  severity: string;
  origin: string;
  evidence: string | null;
  openedAt: string;
  closedAt: string | null;
}

interface CodeCount {
  code: string;
  severity: string;
  findings: number;
  machines: number;
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** One finding opened up: the evidence as found, and what the unit does about it. */
function FindingExpanded({ finding, productName }: { finding: FindingItem; productName: (id: string) => string }) {
  const { t, lang } = useI18n();
  const summary = findingSummary(finding, lang, productName);
  const raw = finding.evidence || finding.subject || '—';
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="finding-expanded">
      <div>
        <Typography.Text strong>{t('wb.findings.evidence')}：</Typography.Text>
        {summary !== raw && <Typography.Text>{summary} </Typography.Text>}
        <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
          {raw}
        </Typography.Text>
      </div>
      <Alert type={finding.closedAt ? 'success' : 'info'} showIcon title={t('wb.findings.remedy')} description={finding.closedAt ? t('wb.findings.closedNote', { at: formatTime(finding.closedAt, lang) }) : findingRemedy(finding.code, lang)} />
      <Space>
        <Typography.Text type="secondary">
          {t('wb.findings.origin')}：{finding.origin === 'server' ? t('wb.findings.originServer') : t('wb.findings.originAgent')} · {finding.code}
        </Typography.Text>
        <Link to={`/machines/${finding.machineId}`}>{t('wb.findings.openMachine')}</Link>
      </Space>
    </Space>
  );
}

/** 问题: findings with severity, machine, evidence and what to do about each; filters by status, code, severity, unit. */
export function FindingsPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const bureau = isBureau(user!.role);
  const catalog = useCatalog();
  const orgId = bureau ? (params.get('orgId') ?? undefined) : undefined;
  const code = params.get('code') ?? undefined;
  const status = params.get('status') === 'all' ? 'all' : 'open';
  const severity = params.get('severity') ?? undefined;
  const hostname = params.get('hostname') ?? undefined;
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const setParam = (key: string, value: string | undefined) => {
    setPage((p) => ({ ...p, current: 1 }));
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  const list = useApi(
    () =>
      api<{ findings: FindingItem[]; total: number }>(
        'GET',
        `/api/findings${query({ orgId, code, severity, hostname, closed: status === 'all' ? 'true' : undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`,
      ),
    [orgId, code, severity, hostname, status, page.current, page.pageSize],
  );
  const counts = useApi(() => api<{ counts: CodeCount[] }>('GET', `/api/findings/counts${query({ orgId })}`), [orgId]);
  useLiveReload(() => {
    list.reload();
    counts.reload();
  }, (event) => event.type.startsWith('finding.'));

  const byCode = useMemo(() => {
    const codes = new Map<string, { code: string; findings: number; machines: number; worst: string }>();
    for (const c of counts.data?.counts ?? []) {
      const entry = codes.get(c.code) ?? { code: c.code, findings: 0, machines: 0, worst: c.severity };
      entry.findings += c.findings;
      entry.machines = Math.max(entry.machines, c.machines);
      if (SEVERITY_ORDER.indexOf(c.severity) < SEVERITY_ORDER.indexOf(entry.worst)) entry.worst = c.severity;
      codes.set(c.code, entry);
    }
    return [...codes.values()].sort((a, b) => SEVERITY_ORDER.indexOf(a.worst) - SEVERITY_ORDER.indexOf(b.worst) || b.findings - a.findings);
  }, [counts.data]);
  const openTotal = byCode.reduce((n, c) => n + c.findings, 0);

  const rows = list.data?.findings ?? [];
  const total = list.data?.total ?? 0;
  const codeOptions = [...new Set([...KNOWN_FINDING_CODES, ...byCode.map((c) => c.code)])].map((c) => ({ value: c, label: `${findingName(c, lang)}（${c}）` }));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="findings-page">
      <Card size="small" title={t('wb.findings.summary', { n: openTotal })} data-testid="findings-summary">
        {byCode.length === 0 ? (
          <Typography.Text type="secondary">{counts.loading ? t('common.loading') : t('wb.findings.noneOpen')}</Typography.Text>
        ) : (
          <Space wrap>
            {byCode.map((c) => (
              <Tag.CheckableTag key={c.code} checked={code === c.code} onChange={(on) => setParam('code', on ? c.code : undefined)} style={{ border: '1px solid #f0f0f0', padding: '2px 8px' }}>
                <Tag color={SEVERITY_COLOURS[c.worst] ?? 'default'} style={{ marginInlineEnd: 4 }}>
                  {severityName(c.worst, lang)}
                </Tag>
                {findingName(c.code, lang)} · {t('wb.findings.countLine', { findings: c.findings, machines: c.machines })}
              </Tag.CheckableTag>
            ))}
          </Space>
        )}
      </Card>
      <Card
        title={t('menu.findings')}
        extra={
          <Space wrap>
            {bureau && <UnitPicker value={orgId} onChange={(id) => setParam('orgId', id)} />}
            <Segmented
              value={status}
              onChange={(value) => setParam('status', value === 'all' ? 'all' : undefined)}
              options={[
                { value: 'open', label: t('wb.findings.open') },
                { value: 'all', label: t('wb.findings.all') },
              ]}
            />
          </Space>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('wb.findings.anyCode')} style={{ width: 300 }} value={code} onChange={(value?: string) => setParam('code', value)} options={codeOptions} />
          <Select
            style={{ width: 160 }}
            value={severity ?? ''}
            onChange={(value: string) => setParam('severity', value || undefined)}
            prefix={`${t('wb.findings.severity')}：`}
            options={[{ value: '', label: t('machines.any') }, ...SEVERITY_ORDER.filter((s) => SEVERITY_NAMES[s]).map((s) => ({ value: s, label: severityName(s, lang) }))]}
          />
          <ServerSearch value={hostname} onSearch={(value) => setParam('hostname', value)} placeholder={t('machines.search')} width={220} testId="findings-hostname-search" />
        </Space>
        {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
        <Table<FindingItem>
          size="small"
          rowKey="id"
          loading={list.loading && !list.data}
          dataSource={rows}
          expandable={{ expandedRowRender: (f) => <FindingExpanded finding={f} productName={catalog.productName} />, expandRowByClick: true }}
          locale={{ emptyText: <Empty description={code || severity || hostname || status === 'all' ? t('wb.findings.emptyFiltered') : t('wb.findings.empty')} /> }}
          pagination={{ current: page.current, pageSize: page.pageSize, total, showTotal: (n) => t('common.total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }), showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200] }}
          columns={[
            { title: t('wb.findings.severity'), dataIndex: 'severity', width: 80, render: (s: string) => <Tag color={SEVERITY_COLOURS[s] ?? 'default'}>{severityName(s, lang)}</Tag> },
            {
              title: t('machine.findingCode'),
              dataIndex: 'code',
              render: (c: string) => (
                <span>
                  {findingName(c, lang)}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {c}
                  </Typography.Text>
                </span>
              ),
            },
            { title: t('machines.hostname'), dataIndex: 'hostname', render: (h: string, f) => <Link to={`/machines/${f.machineId}`} onClick={(e) => e.stopPropagation()}>{h}</Link> },
            ...(bureau ? [{ title: t('overview.unit'), dataIndex: 'orgName' }] : []),
            {
              title: t('wb.findings.evidence'),
              dataIndex: 'evidence',
              render: (_: string | null, f) => (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                  {findingSummary(f, lang, catalog.productName)}
                </Typography.Text>
              ),
            },
            { title: t('machine.findingSince'), dataIndex: 'openedAt', width: 170, render: (v: string) => formatTime(v, lang) },
            { title: t('wb.findings.status'), dataIndex: 'closedAt', render: (v: string | null) => (v ? <Tag color="green">{t('wb.findings.closedAt', { at: formatTime(v, lang) })}</Tag> : <Tag color="red">{t('wb.findings.open')}</Tag>) },
          ]}
        />
      </Card>
    </Space>
  );
}
