import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useLiveReload } from '../live.tsx';
import { useApi } from '../use-api.ts';

/** The header's bell: how many alerts are open in scope; opens the 提醒 page. Follows live events. */
export function AlertsBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const open = useApi(() => api<{ total: number }>('GET', '/api/alerts?limit=1'), []);
  useLiveReload(open.reload, (event) => event.type.startsWith('finding.') || event.type === 'position.changed' || event.type === 'machine.offline');
  const count = open.data?.total ?? 0;
  return (
    <Tooltip title={t('wb.alerts.bell', { n: count })}>
      <Badge count={count} size="small" overflowCount={99} data-testid="alerts-bell">
        <Button type="text" icon={<BellOutlined />} onClick={() => navigate('/alerts')} aria-label={t('menu.alerts')} />
      </Badge>
    </Tooltip>
  );
}
