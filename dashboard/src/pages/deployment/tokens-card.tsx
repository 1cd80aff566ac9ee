import { App, Button, Card, Empty, List, Popconfirm, Typography } from 'antd';
import { api, query } from '../../api.ts';
import { errorText } from '../../errors.ts';
import { formatTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useApi } from '../../use-api.ts';

interface TokenView {
  id: string;
  orgName: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  state: string;
}

/** The active enrolment tokens (never their text: only hashes are stored), each revocable. */
export function TokensCard({ orgId, refreshKey }: { orgId: string | undefined; refreshKey: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const tokens = useApi(() => api<{ tokens: TokenView[] }>('GET', `/api/enrollment-tokens${query({ orgId, activeOnly: 'true' })}`), [orgId, refreshKey]);
  const revoke = async (token: TokenView) => {
    try {
      await api('POST', `/api/enrollment-tokens/${token.id}/revoke`);
      message.success(t('dep.revoked'));
      tokens.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };
  return (
    <Card title={t('dep.tokens')} size="small" style={{ marginTop: 16 }} data-testid="token-list">
      {(tokens.data?.tokens.length ?? 0) === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dep.noTokens')} />
      ) : (
        <List
          size="small"
          dataSource={tokens.data!.tokens.slice(0, 10)}
          renderItem={(token) => (
            <List.Item
              actions={[
                <Popconfirm key="revoke" title={t('dep.revokeConfirm', { label: token.label })} onConfirm={() => void revoke(token)}>
                  <Button type="link" size="small" danger>
                    {t('dep.revoke')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={token.label}
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {orgId ? '' : `${token.orgName} · `}
                    {t('dep.tokenUses', { uses: token.maxUses ? `${token.uses}/${token.maxUses}` : token.uses })} · {token.expiresAt ? `${t('dep.tokenExpires')} ${formatTime(token.expiresAt, lang)}` : t('dep.tokenNever')}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
