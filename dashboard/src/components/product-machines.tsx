import { Alert, Drawer, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api.ts';
import type { CatalogProduct } from '../catalog.ts';
import { CATEGORY_NAMES, LICENCE_MODEL_NAMES } from '../catalog.ts';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf } from '../labels.ts';
import { useApi } from '../use-api.ts';

interface ProductMachine {
  id: string;
  hostname: string;
  orgName: string;
  edition: string | null;
  version: string | null;
  source: string;
  evidence: string;
  lastSeenAt: string | null;
}

/** The machines behind a product's install count (paged by the server), each opening its machine page. */
export function ProductMachinesDrawer({ product, productId, orgId, onClose }: { product: CatalogProduct | undefined; productId: string | undefined; orgId: string | undefined; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const list = useApi(
    () =>
      productId
        ? api<{ machines: ProductMachine[]; total: number }>('GET', `/api/catalog/installed/machines${query({ product: productId, orgId, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`)
        : Promise.resolve({ machines: [], total: 0 }),
    [productId, orgId, page.current, page.pageSize],
  );
  const licensable = product && product.licenceModel !== 'free';
  return (
    <Drawer
      open={Boolean(productId)}
      onClose={() => {
        setPage({ current: 1, pageSize: 50 });
        onClose();
      }}
      size={760}
      title={product ? `${product.vendor} ${product.name}` : productId}
      data-testid="product-machines"
    >
      {product && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Tag>{nameOf(CATEGORY_NAMES, product.category, lang)}</Tag>
          <Tag>{nameOf(LICENCE_MODEL_NAMES, product.licenceModel, lang)}</Tag>
          {product.domestic && <Tag color="red">{t('wb.domestic')}</Tag>}
          {licensable && <Link to={`/positions${query({ product: product.id, orgId })}`}>{t('wb.software.seePosition')}</Link>}
        </Space>
      )}
      {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<ProductMachine>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.machines ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.software.noMachines')} /> }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('machines.hostname'), dataIndex: 'hostname', render: (hostname: string, m) => <Link to={`/machines/${m.id}`}>{hostname}</Link> },
          { title: t('machines.unit'), dataIndex: 'orgName' },
          { title: t('wb.software.edition'), render: (_, m) => [m.edition, m.version].filter(Boolean).join(' ') || '—' },
          {
            title: t('wb.software.evidence'),
            dataIndex: 'evidence',
            render: (evidence: string) => (
              <Typography.Text type="secondary" ellipsis={{ tooltip: evidence }} style={{ maxWidth: 220 }}>
                {evidence}
              </Typography.Text>
            ),
          },
          { title: t('machines.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string | null) => formatTime(v, lang) },
        ]}
      />
    </Drawer>
  );
}
