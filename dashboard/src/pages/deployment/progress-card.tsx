import { App, Button, Card, InputNumber, Progress, Space, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, query } from '../../api.ts';
import { errorText } from '../../errors.ts';
import { useI18n } from '../../i18n.tsx';
import { useLiveReload } from '../../live.tsx';
import { useApi } from '../../use-api.ts';

interface OrgCount {
  id: string;
  name: string;
  expectedMachines: number | null;
}

/**
 * 注册进度: computers enrolled against the number the unit says it has (orgs.expectedMachines),
 * which admins set here. Without a unit (a bureau that picked none): every unit in scope.
 */
export function ProgressCard({ orgId, canEdit }: { orgId: string | undefined; canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const enrolled = useApi(() => api<{ total: number }>('GET', `/api/machines${query({ orgId, limit: 1 })}`), [orgId]);
  const expected = useApi(
    () =>
      orgId
        ? api<{ org: OrgCount }>('GET', `/api/orgs/${orgId}`).then(({ org }) => ({ total: org.expectedMachines, units: 1 }))
        : api<{ orgs: OrgCount[] }>('GET', `/api/orgs${query({ kind: 'unit', limit: 5000 })}`).then(({ orgs }) => {
            const counted = orgs.filter((o) => o.expectedMachines !== null);
            return { total: counted.length ? counted.reduce((n, o) => n + o.expectedMachines!, 0) : null, units: counted.length };
          }),
    [orgId],
  );
  useLiveReload(enrolled.reload, (event) => event.type.startsWith('machine.'));
  const [draft, setDraft] = useState<number | null>(null);
  useEffect(() => setDraft(expected.data?.total ?? null), [expected.data]);

  const save = async () => {
    try {
      await api('PATCH', `/api/orgs/${orgId}`, { expectedMachines: draft });
      message.success(t('dep.expectedSaved'));
      expected.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };

  const n = enrolled.data?.total ?? 0;
  const of = expected.data?.total ?? null;
  return (
    <Card title={t('deploy.progress')} size="small" style={{ marginTop: 16 }} data-testid="enrolment-progress">
      <Space align="center" size="large">
        <Progress type="circle" size={96} percent={of ? Math.min(100, Math.round((n / of) * 100)) : 0} format={(p) => (of ? `${p}%` : '—')} />
        <div>
          <Statistic title={t('deploy.enrolled')} value={n} data-testid="enrolled-count" />
          <Typography.Text type="secondary" data-testid="progress-text">
            {of ? t('dep.progressOf', { n, expected: of }) : orgId ? t('dep.expectedMissing') : ''}
          </Typography.Text>
          {!orgId && expected.data && (
            <div>
              <Typography.Text type="secondary">{t('dep.progressUnits', { units: expected.data.units })}</Typography.Text>
            </div>
          )}
        </div>
      </Space>
      {orgId && canEdit && (
        <Space style={{ marginTop: 12 }}>
          <span>{t('dep.expected')}</span>
          <InputNumber min={0} max={1_000_000} precision={0} value={draft} onChange={(v) => setDraft(v)} style={{ width: 120 }} data-testid="expected-input" />
          <Button onClick={() => void save()} disabled={draft === (expected.data?.total ?? null)} data-testid="expected-save">
            {t('dep.expectedSave')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
