import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Spin } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { exportUrl, type UnitReturn } from '../annual-return-types.ts';
import { AnnualReturnFormTable } from '../components/annual-return-form.tsx';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { useApi } from '../use-api.ts';

// A4 portrait with the browser's own header and footer suppressed; the toolbar is not printed.
const PRINT_CSS = `
@page { size: A4 portrait; margin: 18mm 15mm; }
@media print { .no-print { display: none !important; } body { background: #fff !important; } .sheet { box-shadow: none !important; margin: 0 !important; width: auto !important; min-height: 0 !important; padding: 0 !important; } }
`;

/**
 * The A4 print view of a unit's return: the form as the bureau expects it on paper, with the head's
 * signature and the seal left blank for pen and stamp. The PDF download is the same form.
 */
export function AnnualReturnPrintPage() {
  const { orgId = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useI18n();
  const year = Number(params.get('year')) || new Date().getFullYear();
  const answer = useApi(() => api<{ annualReturn: UnitReturn }>('GET', `/api/annual-returns/units/${orgId}?year=${year}`), [orgId, year]);
  const view = answer.data?.annualReturn;
  return (
    <div style={{ background: '#e9e9e9', minHeight: '100vh', padding: '16px 0' }} data-testid="annual-return-print">
      <style>{PRINT_CSS}</style>
      <Space className="no-print" style={{ display: 'flex', justifyContent: 'center', marginBottom: 16 }}>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!view}>
          {t('wb.ar.printNow')}
        </Button>
        <Button href={exportUrl(orgId, year, 'form.pdf')} download>
          {t('wb.ar.downloadPdf')}
        </Button>
        <Link to={`/annual-return${orgId ? `/units/${orgId}` : ''}?year=${year}`}>{t('wb.ar.backToReturn')}</Link>
      </Space>
      <div className="sheet" style={{ width: '210mm', minHeight: '297mm', margin: '0 auto', background: '#fff', padding: '18mm 15mm', boxShadow: '0 2px 12px rgba(0,0,0,.15)', boxSizing: 'border-box' }}>
        {answer.error && <Alert type="error" showIcon title={errorText(answer.error, t)} />}
        {!view && !answer.error && <Spin />}
        {view && (
          <>
            <AnnualReturnFormTable form={view.form} print />
            {/* The head signs on the header line above; the seal goes here. */}
            <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 48, fontSize: 14 }}>
              <span style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'center', width: 120, height: 120, border: '1px dashed #999', borderRadius: '50%', color: '#999' }}>（单位盖章）</span>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
