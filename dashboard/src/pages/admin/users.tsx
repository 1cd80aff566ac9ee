import { KeyOutlined, PlusOutlined, StopOutlined, UndoOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { errorText } from '../../errors.ts';
import { formatTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { nameOf } from '../../labels.ts';
import { useApi } from '../../use-api.ts';
import type { UserView } from './admin-types.ts';
import { ROLE_NAMES } from './org-names.ts';
import { OrgSelect } from './org-select.tsx';
import { UserForm, type UserFormMode, type UserSaved } from './user-form.tsx';

const ROLE_COLOURS: Record<string, string> = { 'bureau-admin': 'red', 'bureau-viewer': 'orange', inspector: 'purple', 'unit-admin': 'blue', 'unit-viewer': 'default' };

/** The temporary password of a new or reset account, shown once with what to tell the person. */
function TemporaryPassword({ shown, onClose }: { shown: { username: string; password: string } | undefined; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('adm.user.tempTitle', { name: shown?.username ?? '' })} open={Boolean(shown)} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText={t('adm.user.tempDone')}>
      <Alert type="warning" showIcon title={t('adm.user.tempOnce')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>
        {t('adm.user.username')}：<Typography.Text strong>{shown?.username}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('adm.user.tempPassword')}：
        <Typography.Text code copyable style={{ fontSize: 16 }} data-testid="temporary-password">
          {shown?.password}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('adm.user.tempHint')}</Typography.Paragraph>
    </Modal>
  );
}

/** 人员与角色: people in scope, their roles; admins create, change, disable and reset passwords. */
export function UsersPage() {
  const { user: me } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<{ q: string; role?: string; orgId?: string; includeDisabled: boolean }>({ q: '', includeDisabled: false });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [form, setForm] = useState<UserFormMode | undefined>(undefined);
  const [password, setPassword] = useState<{ username: string; password: string } | undefined>(undefined);
  const list = useApi(
    () =>
      api<{ users: UserView[]; total: number }>(
        'GET',
        `/api/users${query({ q: filter.q.trim() || undefined, role: filter.role, orgId: filter.orgId, includeDisabled: filter.includeDisabled ? 'true' : undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`,
      ),
    [filter, page.current, page.pageSize],
  );
  const change = (next: Partial<typeof filter>) => {
    setFilter({ ...filter, ...next });
    setPage({ ...page, current: 1 });
  };

  const setDisabled = async (target: UserView, disabled: boolean) => {
    try {
      await api('PATCH', `/api/users/${target.id}`, { disabled });
      message.success(t(disabled ? 'adm.user.disabledDone' : 'adm.user.enabledDone', { name: target.username }));
      list.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };
  const reset = async (target: UserView) => {
    try {
      const answer = await api<{ temporaryPassword: string }>('POST', `/api/users/${target.id}/password-reset`);
      setPassword({ username: target.username, password: answer.temporaryPassword });
      list.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };

  return (
    <Card
      title={t('menu.adminUsers')}
      data-testid="users-page"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ kind: 'create' })} data-testid="user-create">
          {t('adm.user.create')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('adm.user.search')} style={{ width: 220 }} onSearch={(q) => change({ q })} />
        <Select
          allowClear
          placeholder={t('adm.user.anyRole')}
          style={{ width: 170 }}
          value={filter.role}
          onChange={(role?: string) => change({ role })}
          options={Object.keys(ROLE_NAMES).map((role) => ({ value: role, label: nameOf(ROLE_NAMES, role, lang) }))}
        />
        <OrgSelect value={filter.orgId} onChange={(orgId) => change({ orgId })} />
        <Space>
          <Switch size="small" checked={filter.includeDisabled} onChange={(includeDisabled) => change({ includeDisabled })} />
          {t('adm.user.showDisabled')}
        </Space>
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<UserView>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data?.users ?? []}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('adm.user.username'), dataIndex: 'username', render: (name: string, u) => (u.disabledAt ? <Typography.Text delete>{name}</Typography.Text> : name) },
          { title: t('adm.user.displayName'), dataIndex: 'displayName', render: (v: string | null) => v ?? '—' },
          { title: t('adm.user.role'), dataIndex: 'role', render: (role: string) => <Tag color={ROLE_COLOURS[role]}>{nameOf(ROLE_NAMES, role, lang)}</Tag> },
          { title: t('adm.user.org'), render: (_, u) => u.org.name },
          { title: t('adm.user.lastSignIn'), dataIndex: 'lastSignedInAt', render: (v: string | null) => (v ? formatTime(v, lang) : t('adm.user.never')) },
          {
            title: t('adm.user.status'),
            render: (_, u) =>
              u.disabledAt ? <Tag color="default">{t('adm.user.disabled')}</Tag> : u.mustChangePassword ? <Tag color="gold">{t('adm.user.mustChange')}</Tag> : <Tag color="green">{t('adm.user.active')}</Tag>,
          },
          {
            title: t('wb.actions'),
            render: (_, u) =>
              u.id === me!.id ? (
                <Typography.Text type="secondary">{t('adm.user.yourself')}</Typography.Text>
              ) : (
                <Space size={0} wrap>
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setForm({ kind: 'edit', user: u })}>
                    {t('adm.user.editButton')}
                  </Button>
                  {u.disabledAt ? (
                    <Button type="link" size="small" icon={<UndoOutlined />} onClick={() => void setDisabled(u, false)}>
                      {t('adm.user.enable')}
                    </Button>
                  ) : (
                    <Popconfirm title={t('adm.user.disableConfirm', { name: u.username })} description={t('adm.user.disableHint')} onConfirm={() => void setDisabled(u, true)}>
                      <Button type="link" size="small" danger icon={<StopOutlined />}>
                        {t('adm.user.disable')}
                      </Button>
                    </Popconfirm>
                  )}
                  {!u.disabledAt && (
                    <Popconfirm title={t('adm.user.resetConfirm', { name: u.username })} description={t('adm.user.resetHint')} onConfirm={() => void reset(u)}>
                      <Button type="link" size="small" icon={<KeyOutlined />} data-testid={`reset-${u.username}`}>
                        {t('adm.user.reset')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <UserForm
        mode={form}
        onClose={(saved: UserSaved | undefined) => {
          setForm(undefined);
          if (!saved) return;
          message.success(t('adm.user.saved', { name: saved.user.username }));
          if (saved.temporaryPassword) setPassword({ username: saved.user.username, password: saved.temporaryPassword });
          list.reload();
        }}
      />
      <TemporaryPassword shown={password} onClose={() => setPassword(undefined)} />
    </Card>
  );
}
