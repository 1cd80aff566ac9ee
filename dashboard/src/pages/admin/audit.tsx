import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, query } from '../../api.ts';
import { errorText } from '../../errors.ts';
import { formatTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { nameOf } from '../../labels.ts';
import { useApi } from '../../use-api.ts';
import type { AuditEntry } from './admin-types.ts';
import { AUDIT_ACTION_GROUPS, AUDIT_ACTION_NAMES } from './org-names.ts';
import { OrgSelect } from './org-select.tsx';

interface AuditFilter {
  action?: string;
  orgId?: string;
  target?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The filter as API query values: whole days, local time, `to` exclusive. */
function filterQuery(filter: AuditFilter): Record<string, string | undefined> {
  const [from, to] = filter.range ?? [null, null];
  return {
    action: filter.action,
    orgId: filter.orgId,
    target: filter.target?.trim() || undefined,
    from: from ? from.startOf('day').format() : undefined,
    to: to ? to.add(1, 'day').startOf('day').format() : undefined,
  };
}

/** JSON of a before/after value, with the fields that changed marked. */
function ChangeView({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));
  if (keys.length === 0) return <Typography.Text type="secondary">{t('adm.audit.noDetail')}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      data-testid="audit-change"
      dataSource={keys.map((key) => ({ key, before: before[key], after: after[key], changed: JSON.stringify(before[key]) !== JSON.stringify(after[key]) }))}
      columns={[
        { title: t('adm.audit.field'), dataIndex: 'key', width: 180, render: (key: string, row) => (row.changed ? <Typography.Text strong>{key}</Typography.Text> : key) },
        { title: t('adm.audit.before'), dataIndex: 'before', render: (v: unknown, row) => <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: row.changed ? '#fff1f0' : undefined }}>{show(v)}</span> },
        { title: t('adm.audit.after'), dataIndex: 'after', render: (v: unknown, row) => <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: row.changed ? '#f6ffed' : undefined }}>{show(v)}</span> },
      ]}
    />
  );
}

/** 审计日志: who changed what, when, from where; before and after of each change; CSV/XLSX export. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const list = useApi(
    () => api<{ entries: AuditEntry[]; total: number }>('GET', `/api/audit${query({ ...filterQuery(filter), limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [filter, page.current, page.pageSize],
  );
  const change = (next: Partial<AuditFilter>) => {
    setFilter({ ...filter, ...next });
    setPage({ ...page, current: 1 });
  };
  const exportUrl = (format: 'csv' | 'xlsx') => `/api/audit/export${query({ ...filterQuery(filter), format })}`;

  return (
    <Card
      title={t('menu.adminAudit')}
      data-testid="audit-page"
      extra={
        <Space>
          <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')} data-testid="audit-export-xlsx">
            {t('adm.audit.exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={exportUrl('csv')} data-testid="audit-export-csv">
            {t('adm.audit.exportCsv')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={filter.range ?? null} onChange={(range) => change({ range })} allowEmpty={[true, true]} />
        <Select
          allowClear
          placeholder={t('adm.audit.anyAction')}
          style={{ width: 180 }}
          value={filter.action}
          onChange={(action?: string) => change({ action })}
          options={Object.keys(AUDIT_ACTION_GROUPS).map((prefix) => ({ value: prefix, label: nameOf(AUDIT_ACTION_GROUPS, prefix, lang) }))}
        />
        <OrgSelect value={filter.orgId} onChange={(orgId) => change({ orgId })} />
        <Input.Search allowClear placeholder={t('adm.audit.target')} style={{ width: 220 }} onSearch={(target) => change({ target })} />
      </Space>
      <Typography.Paragraph type="secondary">{t('adm.audit.hint')}</Typography.Paragraph>
      {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data?.entries ?? []}
        expandable={{ expandedRowRender: (entry) => <ChangeView entry={entry} />, expandRowByClick: true }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (n) => t('common.total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('adm.audit.at'), dataIndex: 'at', width: 170, render: (at: string) => formatTime(at, lang) },
          { title: t('adm.audit.who'), dataIndex: 'username', width: 130 },
          { title: t('adm.audit.ip'), dataIndex: 'ip', width: 130, render: (ip: string | null) => ip ?? '—' },
          { title: t('adm.audit.action'), dataIndex: 'action', render: (action: string) => <Tag>{nameOf(AUDIT_ACTION_NAMES, action, lang)}</Tag> },
          { title: t('adm.audit.org'), dataIndex: 'orgName', render: (name: string | null) => name ?? '—' },
          { title: t('adm.audit.targetType'), render: (_, e) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${e.targetType}${e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}`}</Typography.Text> },
        ]}
      />
    </Card>
  );
}
