/** The product catalog as the workbench pages show it: names of products, categories and licence models. */
import { useMemo } from 'react';
import { api } from './api.ts';
import { useApi } from './use-api.ts';

/** A catalog product (server/src/catalog/types.ts). */
export interface CatalogProduct {
  id: string;
  vendor: string;
  name: string;
  category: string;
  domestic: boolean;
  licenceModel: string;
  family?: string;
  rank?: number;
  components?: string[];
}

type Names = Record<string, [string, string]>;

export const CATEGORY_NAMES: Names = {
  os: ['操作系统', 'Operating system'],
  office: ['办公软件', 'Office suite'],
  antivirus: ['安全软件', 'Antivirus'],
  industrial: ['工业软件', 'Industrial'],
  design: ['设计软件', 'Design'],
  other: ['其他', 'Other'],
};

export const LICENCE_MODEL_NAMES: Names = {
  free: ['免费', 'Free'],
  'per-device': ['按设备授权', 'Per device'],
  'per-user': ['按用户授权', 'Per user'],
  subscription: ['订阅', 'Subscription'],
  'personal-use-only': ['仅限个人使用', 'Personal use only'],
  oem: ['OEM 预装', 'OEM'],
};

/** Loads the catalog once per page and names products by id (the id itself when unknown). */
export function useCatalog() {
  const catalog = useApi(() => api<{ version: string; products: CatalogProduct[] }>('GET', '/api/catalog/products'), []);
  const { data, error, reload } = catalog;
  return useMemo(() => {
    const products = data?.products ?? [];
    const byId = new Map(products.map((p) => [p.id, p]));
    /** The product's name, or its id while the catalog loads or for a product no longer listed. */
    const productName = (id: string) => byId.get(id)?.name ?? id;
    return { products, byId, productName, error, reload };
  }, [data, error, reload]);
}
