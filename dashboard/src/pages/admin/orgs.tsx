import { ApartmentOutlined, BankOutlined, DeleteOutlined, EditOutlined, HomeOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Progress, Row, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { api, query } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { errorText } from '../../errors.ts';
import { formatTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { nameOf } from '../../labels.ts';
import { useApi } from '../../use-api.ts';
import type { OrgView } from './admin-types.ts';
import { OrgForm, type OrgFormMode } from './org-form.tsx';
import { ORG_KIND_NAMES } from './org-names.ts';
import { UnitImport } from './unit-import.tsx';

/** Orgs loaded at once; a city has hundreds of units, so the whole tree fits. */
const TREE_LIMIT = 5000;
const KIND_ICONS = { bureau: <BankOutlined />, zone: <ApartmentOutlined />, unit: <HomeOutlined /> };

/** The tree of the orgs in scope (parents before children, as the API lists them). */
function buildTree(orgs: OrgView[], matches: (org: OrgView) => boolean): DataNode[] {
  const nodes = new Map<string, DataNode & { children: DataNode[] }>();
  const roots: DataNode[] = [];
  for (const org of orgs) {
    const node = { key: org.id, title: org.name, icon: KIND_ICONS[org.kind], children: [] as DataNode[], className: matches(org) ? 'org-match' : undefined };
    nodes.set(org.id, node);
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** How many computers of a unit are enrolled, against the number the unit says it has. */
function EnrolmentProgress({ org }: { org: OrgView }) {
  const { t } = useI18n();
  const enrolled = useApi(() => api<{ total: number }>('GET', `/api/machines${query({ orgId: org.id, limit: 1 })}`), [org.id]);
  const total = enrolled.data?.total;
  if (total === undefined) return <>{t('common.loading')}</>;
  if (!org.expectedMachines) return <>{t('adm.org.enrolledNoExpected', { n: total })}</>;
  const percent = Math.min(100, Math.round((total / org.expectedMachines) * 100));
  return (
    <Space>
      <Progress percent={percent} size="small" style={{ width: 160 }} />
      <span>{t('adm.org.enrolledOf', { n: total, expected: org.expectedMachines })}</span>
    </Space>
  );
}

/** 组织机构: the org tree in scope; bureau admins create, edit, import and delete; unit admins edit their contacts. */
export function OrgsPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const bureauAdmin = user!.role === 'bureau-admin';
  const list = useApi(() => api<{ orgs: OrgView[]; total: number }>('GET', `/api/orgs${query({ limit: TREE_LIMIT })}`), []);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  const [expanded, setExpanded] = useState<string[] | undefined>(undefined);
  const [form, setForm] = useState<OrgFormMode | undefined>(undefined);
  const [importInto, setImportInto] = useState<OrgView | undefined>(undefined);

  const orgs = useMemo(() => list.data?.orgs ?? [], [list.data]);
  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const needle = search.trim().toLowerCase();
  const matches = (org: OrgView) => Boolean(needle) && (org.name.toLowerCase().includes(needle) || (org.creditCode ?? '').toLowerCase().includes(needle));
  const tree = useMemo(() => buildTree(orgs, matches), [orgs, needle]); // eslint-disable-line react-hooks/exhaustive-deps
  // Searching opens the branches that hold a match; otherwise the first two levels are open.
  const autoExpanded = useMemo(() => {
    if (!needle) return orgs.filter((o) => o.depth <= 1 && o.kind !== 'unit').map((o) => o.id);
    const open = new Set<string>();
    for (const org of orgs.filter(matches)) for (let p = org.parentId; p; p = byId.get(p)?.parentId ?? null) open.add(p);
    return [...open];
  }, [orgs, needle]); // eslint-disable-line react-hooks/exhaustive-deps
  const selected = (selectedId && byId.get(selectedId)) || orgs[0];
  const isOwnRoot = selected?.id === user!.org.id;
  const canEdit = selected && (bureauAdmin || (user!.role === 'unit-admin' && selected.kind === 'unit'));

  const remove = async (org: OrgView) => {
    try {
      await api('DELETE', `/api/orgs/${org.id}`);
      message.success(t('adm.org.deleted', { name: org.name }));
      setSelectedId(org.parentId ?? undefined);
      list.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };

  return (
    <Row gutter={16} data-testid="orgs-page">
      <Col span={9}>
        <Card title={t('menu.adminOrgs')} size="small" extra={<Typography.Text type="secondary">{t('common.total', { n: list.data?.total ?? 0 })}</Typography.Text>}>
          <Input.Search allowClear placeholder={t('adm.org.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 8 }} />
          {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} />}
          {(list.data?.total ?? 0) > TREE_LIMIT && <Alert type="info" showIcon title={t('adm.org.tooMany', { n: TREE_LIMIT })} style={{ marginBottom: 8 }} />}
          {orgs.length === 0 && !list.loading ? (
            <Empty description={t('adm.org.empty')} />
          ) : (
            <Tree
              showIcon
              blockNode
              height={560}
              treeData={tree}
              selectedKeys={selected ? [selected.id] : []}
              expandedKeys={needle ? autoExpanded : (expanded ?? autoExpanded)}
              onExpand={(keys) => setExpanded(keys as string[])}
              onSelect={(keys) => keys[0] && setSelectedId(String(keys[0]))}
              titleRender={(node) => {
                const org = byId.get(String(node.key));
                return (
                  <span style={org && matches(org) ? { background: '#fff1b8' } : undefined}>
                    {String(node.title)}
                    {org?.kind === 'unit' && org.sector && <Typography.Text type="secondary"> · {org.sector}</Typography.Text>}
                  </span>
                );
              }}
              data-testid="org-tree"
            />
          )}
        </Card>
      </Col>
      <Col span={15}>
        {selected && (
          <Card
            size="small"
            title={
              <Space>
                {KIND_ICONS[selected.kind]}
                <span data-testid="org-title">{selected.name}</span>
                <Tag>{nameOf(ORG_KIND_NAMES, selected.kind, lang)}</Tag>
              </Space>
            }
          >
            <Space wrap style={{ marginBottom: 12 }}>
              {canEdit && (
                <Button icon={<EditOutlined />} onClick={() => setForm({ kind: 'edit', org: selected })} data-testid="org-edit">
                  {bureauAdmin ? t('adm.org.editButton') : t('adm.org.editContacts')}
                </Button>
              )}
              {bureauAdmin && (
                <Button icon={<PlusOutlined />} onClick={() => setForm({ kind: 'create', parent: selected })} data-testid="org-create">
                  {t('adm.org.createButton')}
                </Button>
              )}
              {bureauAdmin && selected.kind !== 'unit' && (
                <Button icon={<UploadOutlined />} onClick={() => setImportInto(selected)} data-testid="org-import">
                  {t('adm.org.importButton')}
                </Button>
              )}
              {bureauAdmin && !isOwnRoot && (
                <Popconfirm title={t('adm.org.deleteConfirm', { name: selected.name })} description={t('adm.org.deleteHint')} onConfirm={() => void remove(selected)}>
                  <Button danger icon={<DeleteOutlined />}>
                    {t('adm.org.deleteButton')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
            <Descriptions column={2} size="small" bordered data-testid="org-details">
              <Descriptions.Item label={t('adm.org.creditCode')} span={2}>
                <span style={{ fontFamily: 'monospace' }}>{selected.creditCode ?? '—'}</span>
              </Descriptions.Item>
              {selected.kind === 'unit' && <Descriptions.Item label={t('adm.org.sector')}>{selected.sector ?? '—'}</Descriptions.Item>}
              <Descriptions.Item label={t('adm.org.region')} span={selected.kind === 'unit' ? 1 : 2}>
                {selected.region ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('adm.org.head')}>{selected.head ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('adm.org.liaison')}>{selected.liaison ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('adm.org.phone')} span={2}>
                {selected.phone ?? '—'}
              </Descriptions.Item>
              {selected.kind === 'unit' && (
                <Descriptions.Item label={t('adm.org.enrolment')} span={2}>
                  <EnrolmentProgress org={selected} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('adm.org.created')} span={2}>
                {formatTime(selected.createdAt, lang)}
              </Descriptions.Item>
            </Descriptions>
            {selected.kind !== 'unit' && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                {t('adm.org.children', { n: orgs.filter((o) => o.parentId === selected.id).length })}
              </Typography.Paragraph>
            )}
          </Card>
        )}
      </Col>
      <OrgForm
        mode={form}
        contactsOnly={!bureauAdmin}
        onClose={(saved) => {
          setForm(undefined);
          if (saved) {
            message.success(t('adm.org.saved', { name: saved.name }));
            setSelectedId(saved.id);
            list.reload();
          }
        }}
      />
      <UnitImport
        parent={importInto}
        onClose={(imported) => {
          setImportInto(undefined);
          if (imported) {
            message.success(t('adm.import.done'));
            list.reload();
          }
        }}
      />
    </Row>
  );
}
