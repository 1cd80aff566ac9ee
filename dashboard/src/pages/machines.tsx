import { Alert, Badge, Button, Card, Empty, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api.ts';
import { MachineRegistration } from '../components/machine-registration.tsx';
import { useAuth } from '../auth.tsx';
import { ServerSearch } from '../components/server-search.tsx';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ACTIVATION_NAMES, nameOf, OS_FAMILY_NAMES } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import type { MachineRow } from '../types.ts';
import { useApi } from '../use-api.ts';

/** A row of the list: what GET /api/machines adds to a machine for the list. */
interface MachineListRow extends MachineRow {
  serial: string | null;
  lastIp: string | null;
  openFindings: number;
  department: string | null;
  retiredAt: string | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Last seen" choices, as the API's seenAfter/seenBefore relative to now. */
const SEEN_PRESETS: Record<string, { after?: number; before?: number; label: string }> = {
  '24h': { after: DAY, label: 'machines.seen24h' },
  '7d': { after: 7 * DAY, label: 'machines.seen7d' },
  '30d': { after: 30 * DAY, label: 'mach.seen30d' },
  stale7d: { before: 7 * DAY, label: 'machines.stale7d' },
  stale30d: { before: 30 * DAY, label: 'mach.stale30d' },
};
const FILTER_KEYS = ['q', 'osFamily', 'activation', 'findings', 'seen', 'orgId', 'department', 'status'] as const;
const DEFAULT_PAGE_SIZE = 50;

/** The API query of the page's URL state (the URL keeps filters, sort and page, so a link or reload shows the same list). */
function apiQuery(params: URLSearchParams, now: number) {
  const preset = SEEN_PRESETS[params.get('seen') ?? ''];
  const size = Number(params.get('size')) || DEFAULT_PAGE_SIZE;
  const page = Math.max(1, Number(params.get('page')) || 1);
  return {
    q: params.get('q') || undefined,
    osFamily: params.get('osFamily') || undefined,
    activation: params.get('activation') || undefined,
    hasFindings: params.get('findings') === 'yes' ? 'true' : params.get('findings') === 'no' ? 'false' : undefined,
    seenAfter: preset?.after ? new Date(now - preset.after).toISOString() : undefined,
    seenBefore: preset?.before ? new Date(now - preset.before).toISOString() : undefined,
    orgId: params.get('orgId') || undefined,
    department: params.get('department') || undefined,
    retired: params.get('status') === 'retired' ? 'true' : params.get('status') === 'inUse' ? 'false' : undefined,
    sort: params.get('sort') || undefined,
    order: params.get('order') || undefined,
    limit: size,
    offset: (page - 1) * size,
  };
}

/** 计算机: machines in scope, searched, filtered, sorted and paged by the server (100,000 machines stay fast). */
export function MachinesPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const list = useApi(() => api<{ machines: MachineListRow[]; total: number }>('GET', `/api/machines${query(apiQuery(params, Date.now()))}`), [params.toString()]);
  useLiveReload(list.reload, (event) => event.type.startsWith('machine.') || event.type.startsWith('install.'));

  /** Changes URL parameters; any filter change goes back to page 1. */
  const update = (changes: Record<string, string | undefined>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };
  const filtered = FILTER_KEYS.some((key) => params.get(key));
  const size = Number(params.get('size')) || DEFAULT_PAGE_SIZE;
  const sort = params.get('sort') ?? 'hostname';
  const sortOrder = (key: string): SortOrder => (sort === key ? (params.get('order') === 'desc' ? 'descend' : 'ascend') : null);
  const anyOption = { value: '', label: t('machines.any') };
  const unitRole = user!.role === 'unit-admin' || user!.role === 'unit-viewer';

  return (
    <Card title={t('menu.machines')} data-testid="machines-page" extra={<MachineRegistration onChanged={list.reload} />}>
      <Space wrap style={{ marginBottom: 12 }}>
        <ServerSearch value={params.get('q') ?? undefined} onSearch={(q) => update({ q })} placeholder={t('mach.search')} width={240} testId="machine-search" />
        {!unitRole && <UnitPicker value={params.get('orgId') ?? undefined} onChange={(orgId) => update({ orgId })} width={220} />}
        <Select
          style={{ width: 170 }}
          value={params.get('osFamily') ?? ''}
          onChange={(v) => update({ osFamily: v })}
          options={[anyOption, ...Object.keys(OS_FAMILY_NAMES).map((v) => ({ value: v, label: nameOf(OS_FAMILY_NAMES, v, lang) }))]}
          prefix={`${t('machines.os')}：`}
          data-testid="filter-os"
        />
        <Select
          style={{ width: 170 }}
          value={params.get('activation') ?? ''}
          onChange={(v) => update({ activation: v })}
          options={[anyOption, ...Object.keys(ACTIVATION_NAMES).map((v) => ({ value: v, label: nameOf(ACTIVATION_NAMES, v, lang) }))]}
          prefix={`${t('machines.activation')}：`}
          data-testid="filter-activation"
        />
        <Select
          style={{ width: 150 }}
          value={params.get('findings') ?? ''}
          onChange={(v) => update({ findings: v })}
          options={[
            { value: '', label: t('mach.anyFindings') },
            { value: 'yes', label: t('mach.withFindings') },
            { value: 'no', label: t('mach.withoutFindings') },
          ]}
          prefix={`${t('mach.findings')}：`}
          data-testid="filter-findings"
        />
        <Select
          style={{ width: 230 }}
          value={params.get('seen') ?? ''}
          onChange={(v) => update({ seen: v })}
          prefix={`${t('machines.lastSeen')}：`}
          options={[anyOption, ...Object.entries(SEEN_PRESETS).map(([value, preset]) => ({ value, label: t(preset.label) }))]}
          data-testid="filter-seen"
        />
        <Input.Search
          allowClear
          placeholder={t('mach.department')}
          defaultValue={params.get('department') ?? ''}
          key={`department-${params.get('department') ?? ''}`}
          onSearch={(department) => update({ department: department.trim() || undefined })}
          style={{ width: 150 }}
        />
        <Select
          style={{ width: 150 }}
          value={params.get('status') ?? ''}
          onChange={(v) => update({ status: v })}
          options={[
            { value: '', label: t('machines.any') },
            { value: 'inUse', label: t('mach.inUse') },
            { value: 'retired', label: t('mret.retired') },
          ]}
          prefix={`${t('mach.status')}：`}
          data-testid="filter-status"
        />
        {filtered && (
          <Button type="link" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('mach.reset')}
          </Button>
        )}
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<MachineListRow>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.machines ?? []}
        scroll={{ x: 1250 }}
        locale={{
          emptyText: filtered ? (
            <Empty description={t('mach.emptyFiltered')}>
              <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t('mach.reset')}</Button>
            </Empty>
          ) : (
            <Empty description={t('machines.empty')} />
          ),
        }}
        pagination={{
          current: Math.max(1, Number(params.get('page')) || 1),
          pageSize: size,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common.total', { n }),
        }}
        onChange={(pagination, _filters, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<MachineListRow> | undefined;
          const key = s?.order ? String(s.columnKey) : undefined;
          const sortChanged = (key ?? 'hostname') !== sort || (s?.order === 'descend' ? 'desc' : 'asc') !== (params.get('order') ?? 'asc');
          update(
            {
              sort: key && key !== 'hostname' ? key : undefined,
              order: s?.order === 'descend' ? 'desc' : undefined,
              page: sortChanged || pagination.current === 1 ? undefined : String(pagination.current),
              size: pagination.pageSize === DEFAULT_PAGE_SIZE ? undefined : String(pagination.pageSize),
            },
            true,
          );
        }}
        columns={[
          {
            key: 'hostname',
            title: t('machines.hostname'),
            sorter: true,
            sortOrder: sortOrder('hostname'),
            fixed: 'left',
            render: (_, m) => (
              <Space size={4}>
                <Link to={`/machines/${m.id}`}>{m.hostname}</Link>
                {m.retiredAt && <Tag>{t('mret.retired')}</Tag>}
              </Space>
            ),
          },
          ...(unitRole ? [] : [{ key: 'org', title: t('machines.unit'), sorter: true, sortOrder: sortOrder('org'), render: (_: unknown, m: MachineListRow) => m.org.name }]),
          { key: 'department', title: t('mach.department'), dataIndex: 'department', render: (v: string | null) => v ?? '—' },
          { key: 'osFamily', title: t('machines.os'), sorter: true, sortOrder: sortOrder('osFamily'), render: (_, m) => `${nameOf(OS_FAMILY_NAMES, m.os.family, lang)} ${m.os.version ?? ''}` },
          {
            key: 'activation',
            title: t('machines.activation'),
            sorter: true,
            sortOrder: sortOrder('activation'),
            render: (_, m) => <Tag color={m.activation.status === 'licensed' ? 'green' : m.activation.status === 'unlicensed' ? 'red' : 'default'}>{nameOf(ACTIVATION_NAMES, m.activation.status ?? 'unknown', lang)}</Tag>,
          },
          {
            key: 'openFindings',
            title: t('mach.findings'),
            align: 'right',
            render: (_, m) => (m.openFindings ? <Badge count={m.openFindings} color="#cf1322" /> : <Typography.Text type="secondary">0</Typography.Text>),
          },
          { key: 'softwareCount', title: t('machines.software'), dataIndex: 'softwareCount', sorter: true, sortOrder: sortOrder('softwareCount'), align: 'right' },
          { key: 'lastIp', title: t('mach.ip'), dataIndex: 'lastIp', render: (v: string | null) => v ?? '—' },
          { key: 'serial', title: t('mach.serial'), dataIndex: 'serial', render: (v: string | null) => (v ? <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{v}</span> : '—') },
          { key: 'agentVersion', title: t('machines.agent'), dataIndex: 'agentVersion', render: (v: string | null) => v ?? '—' },
          { key: 'lastSeenAt', title: t('machines.lastSeen'), dataIndex: 'lastSeenAt', sorter: true, sortOrder: sortOrder('lastSeenAt'), render: (value: string | null) => formatTime(value, lang) },
        ]}
      />
    </Card>
  );
}
