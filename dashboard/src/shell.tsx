import { ApartmentOutlined, HistoryOutlined, SettingOutlined, TeamOutlined, AppstoreOutlined, AuditOutlined, BellOutlined, CloudServerOutlined, DashboardOutlined, DesktopOutlined, FileProtectOutlined, FileTextOutlined, LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Badge, Button, Layout, Menu, Result, Segmented, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from './auth.tsx';
import { AlertsBell } from './components/alerts-bell.tsx';
import { useI18n, type Lang } from './i18n.tsx';
import { useLive } from './live.tsx';
import { canUsePage, type PageKey } from './roles.ts';

const MENU: Array<{ page: PageKey; path: string; icon: ReactNode }> = [
  { page: 'overview', path: '/', icon: <DashboardOutlined /> },
  { page: 'machines', path: '/machines', icon: <DesktopOutlined /> },
  { page: 'software', path: '/software', icon: <AppstoreOutlined /> },
  { page: 'ledger', path: '/ledger', icon: <FileProtectOutlined /> },
  { page: 'positions', path: '/positions', icon: <SafetyCertificateOutlined /> },
  { page: 'findings', path: '/findings', icon: <AuditOutlined /> },
  { page: 'annualReturn', path: '/annual-return', icon: <FileTextOutlined /> },
  { page: 'alerts', path: '/alerts', icon: <BellOutlined /> },
  { page: 'deployment', path: '/deployment', icon: <CloudServerOutlined /> },
];

const ADMIN_MENU: Array<{ page: PageKey; path: string; icon: ReactNode }> = [
  { page: 'adminOrgs', path: '/admin/orgs', icon: <ApartmentOutlined /> },
  { page: 'adminUsers', path: '/admin/users', icon: <TeamOutlined /> },
  { page: 'adminAudit', path: '/admin/audit', icon: <HistoryOutlined /> },
  { page: 'adminSettings', path: '/admin/settings', icon: <SettingOutlined /> },
];

const ROLE_NAMES: Record<string, [string, string]> = {
  'bureau-admin': ['主管部门管理员', 'Bureau admin'],
  'bureau-viewer': ['主管部门查看员', 'Bureau viewer'],
  'unit-admin': ['单位管理员', 'Unit admin'],
  'unit-viewer': ['单位查看员', 'Unit viewer'],
  inspector: ['检查员', 'Inspector'],
};

/** The /api/live connection: green when events flow, orange while connecting, red while reconnecting. */
export function LiveIndicator() {
  const { state } = useLive();
  const { t } = useI18n();
  const status = state === 'open' ? 'success' : state === 'connecting' ? 'processing' : 'error';
  return (
    <span data-testid="live-indicator" data-state={state}>
      <Badge status={status} text={t(`live.${state}`)} />
    </span>
  );
}

/** The frame around every page: role-aware menu, unit and user, live indicator, language, sign-out. */
export function Shell() {
  const { user, logOut } = useAuth();
  const { t, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const items = MENU.filter((entry) => canUsePage(user!.role, entry.page)).map((entry) => ({
    key: entry.path,
    icon: entry.icon,
    label: <Link to={entry.path}>{t(`menu.${entry.page}`)}</Link>,
  }));
  // 系统管理: the admin pages, as a titled group under the workbench, shown only with an entry the role can use.
  const adminItems = ADMIN_MENU.filter((entry) => canUsePage(user!.role, entry.page)).map((entry) => ({
    key: entry.path,
    icon: entry.icon,
    label: <Link to={entry.path}>{t(`menu.${entry.page}`)}</Link>,
  }));
  const menuItems = [...items, ...(adminItems.length ? [{ type: 'group' as const, key: 'admin', label: t('menu.admin'), children: adminItems }] : [])];
  const selected = [...MENU, ...ADMIN_MENU].filter((e) => e.path !== '/' && location.pathname.startsWith(e.path)).map((e) => e.path);
  const roleName = ROLE_NAMES[user!.role]?.[lang === 'zh' ? 0 : 1] ?? user!.role;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" breakpoint="lg" collapsedWidth={56}>
        <div style={{ color: '#fff', padding: '16px 16px 12px', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {/* 200 px holds "正版 · 正版化" but not an English subtitle: English shows the name alone. */}
          {lang === 'zh' ? `${t('app.short')} · 正版化` : t('app.short')}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={selected.length ? selected : ['/']} items={menuItems} onClick={({ key }) => navigate(key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.title')}
          </Typography.Text>
          <Space size="large">
            <LiveIndicator />
            {canUsePage(user!.role, 'alerts') && <AlertsBell />}
            <Typography.Text data-testid="current-user">
              {user!.org.name} · {user!.username}（{roleName}）
            </Typography.Text>
            <Segmented<Lang> size="small" value={lang} onChange={setLang} options={[{ label: '中文', value: 'zh' }, { label: 'EN', value: 'en' }]} />
            <Tooltip title={t('user.logout')}>
              <Button type="text" icon={<LogoutOutlined />} onClick={() => void logOut().then(() => navigate('/'))} aria-label={t('user.logout')} />
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Refuses a page the role cannot use, also when reached by a typed or pasted URL. */
export function Guard({ page, children }: { page: PageKey; children: ReactNode }) {
  const { user } = useAuth();
  const { t } = useI18n();
  if (canUsePage(user!.role, page)) return <>{children}</>;
  return <Result status="403" title="403" subTitle={t('common.forbidden')} extra={<Link to="/">{t('common.back')}</Link>} />;
}

/** Unknown addresses inside the dashboard. */
export function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('common.notFound')} extra={<Link to="/">{t('common.back')}</Link>} />;
}
