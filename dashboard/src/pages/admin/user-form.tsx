import { Alert, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { errorText } from '../../errors.ts';
import { useI18n } from '../../i18n.tsx';
import { nameOf } from '../../labels.ts';
import type { Role } from '../../types.ts';
import type { OrgKind, UserView } from './admin-types.ts';
import { grantableRoles, ROLE_NAMES } from './org-names.ts';
import { OrgSelect } from './org-select.tsx';

export type UserFormMode = { kind: 'create' } | { kind: 'edit'; user: UserView };

/** What a save returns: the user, and for a new one the temporary password (shown once). */
export interface UserSaved {
  user: UserView;
  temporaryPassword?: string;
}

/**
 * Creates a user (a temporary password is generated and shown once; the person must change it at
 * first sign-in) or changes one's name, role and org. Roles offered are those the caller may give
 * on the chosen org's kind.
 */
export function UserForm({ mode, onClose }: { mode: UserFormMode | undefined; onClose: (saved: UserSaved | undefined) => void }) {
  const { user: me } = useAuth();
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [orgKind, setOrgKind] = useState<OrgKind | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const orgId: string | undefined = Form.useWatch('orgId', form);

  useEffect(() => {
    setError(undefined);
    form.resetFields();
    if (mode?.kind === 'edit') {
      form.setFieldsValue({ displayName: mode.user.displayName, role: mode.user.role, orgId: mode.user.org.id });
      setOrgKind(mode.user.org.kind);
    } else if (mode) {
      form.setFieldsValue({ orgId: me!.org.id });
      setOrgKind((me!.org.kind as OrgKind | null) ?? undefined);
    }
  }, [mode, form, me]);

  const roles = grantableRoles(me!.role, orgKind);
  useEffect(() => {
    const role = form.getFieldValue('role') as Role | undefined;
    if (role && !roles.includes(role)) form.setFieldValue('role', undefined);
  }, [orgKind]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (values: { username?: string; displayName?: string; role: Role; orgId: string }) => {
    if (!mode) return;
    setBusy(true);
    setError(undefined);
    try {
      const displayName = values.displayName?.trim() || null;
      const saved =
        mode.kind === 'create'
          ? await api<UserSaved>('POST', '/api/users', { username: values.username, displayName, role: values.role, orgId: values.orgId })
          : await api<UserSaved>('PATCH', `/api/users/${mode.user.id}`, { displayName, role: values.role, orgId: values.orgId });
      onClose(saved);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title={mode?.kind === 'edit' ? t('adm.user.edit', { name: mode.user.username }) : t('adm.user.create')}
      open={Boolean(mode)}
      onClose={() => onClose(undefined)}
      size={480}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={() => onClose(undefined)}>{t('adm.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="user-save">
            {t('adm.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="user-form-error" />}
      <Form form={form} layout="vertical" onFinish={submit}>
        {mode?.kind === 'create' && (
          <Form.Item
            name="username"
            label={t('adm.user.username')}
            extra={t('adm.user.usernameHint')}
            rules={[
              { required: true, message: t('adm.user.usernameRequired') },
              { pattern: /^[\p{L}\p{N}._@-]{2,64}$/u, message: t('adm.user.usernameHint') },
            ]}
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('adm.user.displayName')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="orgId" label={t('adm.user.org')} rules={[{ required: true, message: t('adm.user.orgRequired') }]}>
          <OrgSelect
            value={orgId}
            allowClear={false}
            width="100%"
            testId="user-org"
            onChange={(id, org) => {
              form.setFieldValue('orgId', id);
              setOrgKind(org?.kind);
            }}
          />
        </Form.Item>
        <Form.Item name="role" label={t('adm.user.role')} rules={[{ required: true, message: t('adm.user.roleRequired') }]} extra={t('adm.user.roleHint')}>
          <Select data-testid="user-role" classNames={{ popup: { root: 'user-role-options' } }} options={roles.map((role) => ({ value: role, label: nameOf(ROLE_NAMES, role, lang) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
