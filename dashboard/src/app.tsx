import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';
import { LiveProvider } from './live.tsx';
import { DeploymentPage } from './pages/deployment.tsx';
import { LedgerPage } from './pages/ledger.tsx';
import { LoginPage, PasswordPage } from './pages/login.tsx';
import { MachineDetailPage } from './pages/machine-detail.tsx';
import { MachinesPage } from './pages/machines.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { AlertsPage } from './pages/alerts.tsx';
import { AnnualReturnPage, AnnualReturnUnitPage } from './pages/annual-return.tsx';
import { AnnualReturnPrintPage } from './pages/annual-return-print.tsx';
import { FindingsPage } from './pages/findings.tsx';
import { PositionsPage } from './pages/positions.tsx';
import { SoftwarePage } from './pages/software.tsx';
import { AuditPage } from './pages/admin/audit.tsx';
import { OrgsPage } from './pages/admin/orgs.tsx';
import { SettingsPage } from './pages/admin/settings.tsx';
import { UsersPage } from './pages/admin/users.tsx';
import { Guard, NotFound, Shell } from './shell.tsx';

/** Routes once signed in: every page sits behind a role guard, so direct URLs obey the menu. */
function SignedInRoutes() {
  return (
    <LiveProvider>
      <Routes>
        <Route element={<Shell />}>
          <Route index element={<Guard page="overview"><OverviewPage /></Guard>} />
          <Route path="machines" element={<Guard page="machines"><MachinesPage /></Guard>} />
          <Route path="machines/:id" element={<Guard page="machines"><MachineDetailPage /></Guard>} />
          <Route path="ledger" element={<Guard page="ledger"><LedgerPage /></Guard>} />
          <Route path="deployment" element={<Guard page="deployment"><DeploymentPage /></Guard>} />
          <Route path="software" element={<Guard page="software"><SoftwarePage /></Guard>} />
          <Route path="positions" element={<Guard page="positions"><PositionsPage /></Guard>} />
          <Route path="findings" element={<Guard page="findings"><FindingsPage /></Guard>} />
          <Route path="annual-return" element={<Guard page="annualReturn"><AnnualReturnPage /></Guard>} />
          <Route path="annual-return/units/:orgId" element={<Guard page="annualReturn"><AnnualReturnUnitPage /></Guard>} />
          <Route path="alerts" element={<Guard page="alerts"><AlertsPage /></Guard>} />
          <Route path="admin/orgs" element={<Guard page="adminOrgs"><OrgsPage /></Guard>} />
          <Route path="admin/users" element={<Guard page="adminUsers"><UsersPage /></Guard>} />
          <Route path="admin/audit" element={<Guard page="adminAudit"><AuditPage /></Guard>} />
          <Route path="admin/settings" element={<Guard page="adminSettings"><SettingsPage /></Guard>} />
          <Route path="login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<NotFound />} />
        </Route>
        {/* The A4 print view stands outside the shell: nothing but the form goes to paper. */}
        <Route path="annual-return/print/:orgId" element={<Guard page="annualReturn"><AnnualReturnPrintPage /></Guard>} />
      </Routes>
    </LiveProvider>
  );
}

function Root() {
  const { user } = useAuth();
  if (user === undefined) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (user === null) return <LoginPage />;
  if (user.mustChangePassword) return <PasswordPage />;
  return <SignedInRoutes />;
}

function Localised() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#c0392b', borderRadius: 4 } }}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Root />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The dashboard: language, antd locale, sign-in, then the role-aware shell. */
export function App() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
