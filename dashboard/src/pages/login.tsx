import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useI18n, type Lang, type Translate } from '../i18n.tsx';

/** A sign-in error in words a clerk understands. */
function describeLoginError(error: unknown, t: Translate, lang: Lang): string {
  if (!(error instanceof ApiError)) return t('login.failed', { message: String(error) });
  if (error.code === 'auth.invalid-credentials' || error.status === 401) return t('login.wrong');
  if (error.code === 'auth.account-locked' || error.code === 'auth.address-locked' || error.status === 429) {
    const until = (error.body as { retryAfter?: string; until?: string } | undefined)?.until;
    const when = until ? new Date(until).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : lang === 'zh' ? '稍后' : 'a while';
    return t('login.locked', { until: when });
  }
  return t('login.failed', { message: error.message });
}

function LoginFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #8e1b12 0%, #c0392b 45%, #f4f4f4 45%)' }}>
      <Card style={{ width: 400, boxShadow: '0 8px 24px rgba(0,0,0,0.12)' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <Segmented<Lang> size="small" value={lang} onChange={setLang} options={[{ label: '中文', value: 'zh' }, { label: 'EN', value: 'en' }]} />
        </div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </div>
  );
}

/** Sign-in; says plainly when the password is wrong, the account is locked, or the session expired. */
export function LoginPage() {
  const { logIn, expired } = useAuth();
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await logIn(values.username, values.password);
    } catch (caught) {
      setError(describeLoginError(caught, t, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <LoginFrame title={t('login.title')}>
      {expired && !error && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.username') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.password') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
      </Form>
    </LoginFrame>
  );
}

/** First sign-in: the generated password must be replaced before anything else. */
export function PasswordPage() {
  const { changePassword, logOut } = useAuth();
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { currentPassword: string; newPassword: string; repeat: string }) => {
    if (values.newPassword !== values.repeat) return setError(t('password.mismatch'));
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(values.currentPassword, values.newPassword);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? t('login.wrong') : describeLoginError(caught, t, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <LoginFrame title={t('password.title')}>
      <Alert type="info" showIcon title={t('password.hint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} rules={[{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="repeat" label={t('password.repeat')} rules={[{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('password.submit')}
        </Button>
        <Button type="link" block onClick={() => void logOut()}>
          {t('user.logout')}
        </Button>
      </Form>
    </LoginFrame>
  );
}
