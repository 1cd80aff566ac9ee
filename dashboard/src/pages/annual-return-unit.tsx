import { CheckCircleTwoTone, CloseCircleTwoTone, DownloadOutlined, ExclamationCircleTwoTone, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { exportUrl, FIGURE_KEYS, STATUS_NAMES, type FigureKey, type StoredVersion, type UnitReturn } from '../annual-return-types.ts';
import { useAuth } from '../auth.tsx';
import { useCatalog } from '../catalog.ts';
import { checkReturn, type CheckItem } from '../components/annual-return-check.ts';
import { FigureEvidenceDrawer, type FigureEvidence } from '../components/annual-return-evidence.tsx';
import { AnnualReturnFormTable } from '../components/annual-return-form.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useLiveReload } from '../live.tsx';
import { canWrite } from '../roles.ts';
import { useApi } from '../use-api.ts';

/** The years a return can be looked at for: this one and the four before. */
export function yearOptions(): number[] {
  const now = new Date().getFullYear();
  return [0, 1, 2, 3, 4].map((n) => now - n);
}

/** A status tag in the current language. */
export function StatusTag({ status }: { status: string }) {
  const { lang } = useI18n();
  const [zh, en, colour] = STATUS_NAMES[status] ?? [status, status, 'default'];
  return (
    <Tag color={colour} data-testid="return-status" data-status={status}>
      {lang === 'zh' ? zh : en}
    </Tag>
  );
}

const CHECK_ICONS = {
  error: <CloseCircleTwoTone twoToneColor="#cf1322" />,
  warning: <ExclamationCircleTwoTone twoToneColor="#faad14" />,
  ok: <CheckCircleTwoTone twoToneColor="#52c41a" />,
};

interface FillValues {
  staffCount?: number | null;
  head?: string;
  liaison?: string;
  contact?: string;
  signedOn?: Dayjs | null;
}

/** Fill (staff count and header lines), check, submit. Shown while the return is a draft and the role may write. */
function FillAndSubmit({ view, onSubmitted, values, setValues }: { view: UnitReturn; onSubmitted: () => void; values: FillValues; setValues: (v: FillValues) => void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FillValues>();
  const [checked, setChecked] = useState<CheckItem[] | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const checksOf = (v: FillValues) =>
    checkReturn({
      current: view.form.current,
      previous: view.form.previous,
      staffCount: v.staffCount,
      head: v.head,
      liaison: v.liaison,
      contact: v.contact,
      signedOn: v.signedOn ? v.signedOn.format('YYYY-MM-DD') : undefined,
      virtualExcluded: view.draft.excluded.virtual.length,
    });
  const runCheck = () => {
    const items = checksOf(form.getFieldsValue());
    setChecked(items);
    return items;
  };
  const submit = () => {
    const items = runCheck();
    if (items.some((i) => i.level === 'error')) return;
    const v = form.getFieldsValue();
    modal.confirm({
      title: t('wb.ar.confirmTitle', { year: view.year }),
      content: t('wb.ar.confirmBody'),
      okText: t('wb.ar.submit'),
      onOk: async () => {
        setBusy(true);
        try {
          await api('POST', `/api/annual-returns/units/${view.orgId}/submit?year=${view.year}`, {
            staffCount: v.staffCount,
            head: v.head!.trim(),
            liaison: v.liaison!.trim(),
            contact: v.contact!.trim(),
            signedOn: v.signedOn!.format('YYYY-MM-DD'),
          });
          setProblem(undefined);
          message.success(t('wb.ar.submitted'));
          onSubmitted();
        } catch (error) {
          setProblem(errorText(error, t));
        } finally {
          setBusy(false);
        }
      },
    });
  };
  return (
    <Card title={t('wb.ar.fillTitle')} size="small" data-testid="return-fill">
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form<FillValues>
        form={form}
        layout="inline"
        initialValues={values}
        onValuesChange={(_, all) => {
          setValues(all);
          if (checked) setChecked(checksOf(all));
        }}
        style={{ rowGap: 12 }}
      >
        <Form.Item name="staffCount" label={t('wb.ar.staffCount')} required>
          <InputNumber min={0} max={10_000_000} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="head" label={t('wb.ar.head')} required>
          <Input maxLength={64} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="liaison" label={t('wb.ar.liaison')} required>
          <Input maxLength={64} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="contact" label={t('wb.ar.contact')} required>
          <Input maxLength={64} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="signedOn" label={t('wb.ar.signedOn')} required>
          <DatePicker allowClear={false} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ margin: '12px 0' }}>
        {t('wb.ar.fillHelp', { asOf: view.draft.asOf })}
      </Typography.Paragraph>
      {checked && (
        <List
          size="small"
          bordered
          style={{ marginBottom: 12 }}
          data-testid="return-checks"
          dataSource={checked}
          renderItem={(item) => (
            <List.Item data-level={item.level}>
              <Space>
                {CHECK_ICONS[item.level]}
                {t(`wb.ar.check.${item.key}`, item.values)}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Space>
        <Button onClick={runCheck} data-testid="return-check">
          {t('wb.ar.check')}
        </Button>
        <Button type="primary" loading={busy} onClick={submit} data-testid="return-submit">
          {t('wb.ar.submit')}
        </Button>
      </Space>
    </Card>
  );
}

/** The versions kept for the year; bureau admins accept or return a submitted one. */
function Versions({ view, onDecided }: { view: UnitReturn; onDecided: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [returning, setReturning] = useState<StoredVersion | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const decides = user!.role === 'bureau-admin';
  const decide = async (version: StoredVersion, accept: boolean) => {
    try {
      if (accept) await api('POST', `/api/annual-returns/${version.id}/accept`);
      else await api('POST', `/api/annual-returns/${version.id}/return`, { reason: reason.trim() });
      message.success(accept ? t('wb.ar.accepted') : t('wb.ar.returned'));
      setReturning(undefined);
      setReason('');
      setProblem(undefined);
      onDecided();
    } catch (error) {
      setProblem(errorText(error, t));
    }
  };
  return (
    <Card title={t('wb.ar.versions')} size="small" data-testid="return-versions">
      {problem && !returning && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Table<StoredVersion>
        size="small"
        rowKey="id"
        dataSource={view.versions}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.ar.noVersions')} /> }}
        columns={[
          { title: t('wb.ar.version'), dataIndex: 'version', render: (v: number) => `V${v}` },
          { title: t('wb.ar.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('wb.ar.submittedAt'), dataIndex: 'submittedAt', render: (v: string) => formatTime(v, lang) },
          { title: t('wb.ar.staffCount'), dataIndex: 'staffCount', align: 'right' },
          ...FIGURE_KEYS.map((key) => ({ title: t(`wb.ar.short.${key}`), align: 'right' as const, render: (_: unknown, v: StoredVersion) => v.figures[key] })),
          { title: t('wb.ar.signer'), render: (_, v) => `${v.head} / ${v.liaison}` },
          { title: t('wb.ar.returnReason'), dataIndex: 'returnReason', render: (r: string | null) => r ?? '—' },
          ...(decides
            ? [
                {
                  title: t('wb.actions'),
                  render: (_: unknown, v: StoredVersion) =>
                    v.status === 'submitted' ? (
                      <Space>
                        <Button size="small" type="primary" onClick={() => void decide(v, true)} data-testid="return-accept">
                          {t('wb.ar.accept')}
                        </Button>
                        <Button size="small" danger onClick={() => setReturning(v)} data-testid="return-return">
                          {t('wb.ar.return')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={Boolean(returning)}
        title={t('wb.ar.returnTitle', { version: returning?.version ?? '' })}
        okText={t('wb.ar.return')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onOk={() => returning && void decide(returning, false)}
        onCancel={() => {
          setReturning(undefined);
          setProblem(undefined);
        }}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        <Typography.Paragraph>{t('wb.ar.returnHelp')}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
      </Modal>
    </Card>
  );
}

/** One unit's annual return for a year: the form with its evidence, fill/check/submit, exports, versions. */
export function UnitReturnView({ orgId, backToRollup }: { orgId: string; backToRollup?: boolean }) {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || new Date().getFullYear();
  const catalog = useCatalog();
  const answer = useApi(() => api<{ annualReturn: UnitReturn }>('GET', `/api/annual-returns/units/${orgId}?year=${year}`), [orgId, year]);
  // A draft follows the unit's machines and ledger live; a stored version never moves.
  useLiveReload(answer.reload, (event) => event.orgId === orgId && answer.data?.annualReturn.status === 'draft' && (event.type.startsWith('machine.') || event.type === 'position.changed'));
  const [figure, setFigure] = useState<FigureKey | undefined>(undefined);
  const [typed, setTyped] = useState<FillValues | undefined>(undefined);
  const view = answer.data?.annualReturn;

  const evidence = useMemo((): FigureEvidence | undefined => {
    if (!view) return undefined;
    const stored = view.status === 'draft' ? undefined : view.versions.find((v) => v.status === 'submitted' || v.status === 'accepted');
    return stored
      ? { asOf: stored.asOf, ids: stored.evidence.figures, licenceSets: stored.evidence.licenceSets, excluded: stored.evidence.excluded, ...view.labels, frozen: true }
      : { asOf: view.draft.asOf, ids: view.draft.evidence, licenceSets: view.draft.licenceSets, excluded: view.draft.excluded, ...view.labels, frozen: false };
  }, [view]);

  if (answer.error) return <Alert type="error" showIcon title={errorText(answer.error, t)} action={<Link to="/">{t('common.back')}</Link>} />;
  if (!view) return <Card loading />;

  const isDraft = view.status === 'draft';
  const writable = canWrite(user!.role) && isDraft && year <= new Date().getFullYear();
  const latest = view.versions[0];
  const initial: FillValues = typed ?? {
    staffCount: latest?.staffCount ?? null,
    head: view.form.header.head ?? latest?.head ?? '',
    liaison: view.form.header.liaison ?? latest?.liaison ?? '',
    contact: view.form.header.contact ?? latest?.contact ?? '',
    signedOn: dayjs(),
  };
  const today = new Date().toISOString().slice(0, 10);
  const daysLeft = Math.round((Date.parse(view.dueDate) - Date.parse(today)) / 86_400_000);
  // Submitted: the bureau's review is the step under way; accepted: every step is done.
  const step = view.status === 'accepted' ? 4 : view.status === 'submitted' ? 3 : typed ? 1 : 0;
  const shownForm = isDraft && typed ? { ...view.form, header: { ...view.form.header, head: typed.head ?? null, liaison: typed.liaison ?? null, contact: typed.contact ?? null, date: typed.signedOn ? typed.signedOn.format('YYYY-MM-DD') : null } } : view.form;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="annual-return-unit">
      <Card
        title={
          <Space>
            {t('wb.ar.title', { year })} · {view.form.header.unitName}
            <StatusTag status={view.status} />
          </Space>
        }
        extra={
          <Space wrap>
            {backToRollup && <Link to={`/annual-return?year=${year}`}>{t('wb.ar.backToRollup')}</Link>}
            <Select value={year} style={{ width: 130 }} onChange={(y) => setParams({ year: String(y) }, { replace: true })} options={yearOptions().map((y) => ({ value: y, label: t('wb.ar.yearOption', { year: y }) }))} />
            <Button icon={<DownloadOutlined />} href={exportUrl(orgId, year, 'form.xlsx')} download data-testid="download-xlsx">
              XLSX
            </Button>
            <Button icon={<DownloadOutlined />} href={exportUrl(orgId, year, 'form.pdf')} download>
              PDF
            </Button>
            <Button icon={<DownloadOutlined />} href={exportUrl(orgId, year, 'summary.docx')} download>
              {t('wb.ar.summaryDocx')}
            </Button>
            <Link to={`/annual-return/print/${orgId}?year=${year}`} target="_blank">
              <PrinterOutlined /> {t('wb.ar.print')}
            </Link>
          </Space>
        }
      >
        <Steps
          size="small"
          current={step}
          status={view.versions[0]?.status === 'returned' ? 'error' : undefined}
          items={[{ title: t('wb.ar.step.fill') }, { title: t('wb.ar.step.check') }, { title: t('wb.ar.step.submit') }, { title: t('wb.ar.step.review') }]}
          style={{ marginBottom: 16 }}
        />
        {latest?.status === 'returned' && isDraft && <Alert type="error" showIcon title={t('wb.ar.returnedBanner', { version: latest.version })} description={latest.returnReason} style={{ marginBottom: 12 }} />}
        {isDraft && (
          <Alert
            type={daysLeft < 0 ? 'error' : daysLeft <= 30 ? 'warning' : 'info'}
            showIcon
            title={daysLeft < 0 ? t('wb.ar.overdue', { due: view.dueDate, n: -daysLeft }) : t('wb.ar.due', { due: view.dueDate, n: daysLeft })}
            style={{ marginBottom: 12 }}
          />
        )}
        {view.status === 'submitted' && <Alert type="info" showIcon title={t('wb.ar.awaitingReview', { version: latest?.version ?? 1 })} style={{ marginBottom: 12 }} />}
        {view.status === 'accepted' && <Alert type="success" showIcon title={t('wb.ar.acceptedBanner', { version: latest?.version ?? 1, at: formatTime(latest?.decidedAt ?? null, lang) })} style={{ marginBottom: 12 }} />}
        <AnnualReturnFormTable form={shownForm} staffCount={isDraft && typed ? (typed.staffCount ?? null) : undefined} onFigure={setFigure} />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('wb.ar.figureHelp')}
        </Typography.Paragraph>
      </Card>
      {writable && <FillAndSubmit key={`${orgId}-${year}-${view.versions.length}`} view={view} values={initial} setValues={setTyped} onSubmitted={() => { setTyped(undefined); answer.reload(); }} />}
      {isDraft && !canWrite(user!.role) && <Alert type="info" showIcon title={t('wb.ar.viewerNote')} />}
      <Versions view={view} onDecided={answer.reload} />
      <FigureEvidenceDrawer figure={figure} evidence={evidence} productName={catalog.productName} onClose={() => setFigure(undefined)} />
    </Space>
  );
}
