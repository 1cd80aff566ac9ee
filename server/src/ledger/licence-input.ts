import { z } from 'zod';
import type { RuleSet } from '../catalog/types.ts';
import { LEDGER_TEXT_LENGTH as L } from '../db/schema/ledger.ts';
import { LICENCE_TYPES } from '../compliance/licence-position.ts';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');
const optionalText = (max: number) => z.string().trim().max(max).optional().nullable();

/** A licence as the API and the XLSX import accept it (授权台账的一行). */
export const LicenceFields = z.object({
  /** Catalog product id (the field is not called productId: `...Id` fields name org-owned records). */
  product: z.string().min(1).max(64),
  type: z.enum(LICENCE_TYPES),
  /** 套. */
  quantity: z.number().int().min(1).max(1_000_000),
  /** Volume agreements: licences in the 套. */
  licenceCount: z.number().int().min(1).max(10_000_000).optional().nullable(),
  startsOn: IsoDate.optional().nullable(),
  endsOn: IsoDate.optional().nullable(),
  purchasedOn: IsoDate.optional().nullable(),
  contractNo: optionalText(L.contract),
  invoiceNo: optionalText(L.invoice),
  supplier: optionalText(L.supplier),
  /** 分 (CNY cents). */
  amountFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().nullable(),
  note: optionalText(L.note),
  /** OEM licences: the machines they came with. */
  boundMachineIds: z.array(z.uuid()).max(10_000).optional(),
});
export type LicenceFields = z.infer<typeof LicenceFields>;

/** One problem with one field of a licence, in words a person can act on. */
export interface LicenceProblem {
  field: string;
  message: string;
}

/** Rules across fields that zod's per-field checks cannot say (pure). */
export function checkLicenceFields(input: LicenceFields, catalog: Pick<RuleSet, 'products'>): LicenceProblem[] {
  const problems: LicenceProblem[] = [];
  const product = catalog.products.get(input.product);
  if (!product) problems.push({ field: 'product', message: `unknown product ${input.product}: pick one from GET /api/catalog/products` });
  else if (product.licenceModel === 'free') problems.push({ field: 'product', message: `${product.name} is free software: it needs no licence` });
  else if (product.licenceModel === 'personal-use-only') problems.push({ field: 'product', message: `${product.name} is for personal use only: a unit cannot license it` });
  if (input.type === 'subscription' && (!input.startsOn || !input.endsOn)) problems.push({ field: 'endsOn', message: 'a subscription needs a start and an end date' });
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) problems.push({ field: 'endsOn', message: 'the end date is before the start date' });
  if (input.type === 'volume' && !input.licenceCount) problems.push({ field: 'licenceCount', message: 'a volume agreement needs its number of licences' });
  if (input.type !== 'volume' && input.licenceCount) problems.push({ field: 'licenceCount', message: 'only volume agreements have a number of licences' });
  if (input.type === 'oem' && !input.boundMachineIds?.length) problems.push({ field: 'boundMachineIds', message: 'an OEM licence names the machines it came with' });
  if (input.type !== 'oem' && input.boundMachineIds?.length) problems.push({ field: 'boundMachineIds', message: 'only OEM licences are bound to machines' });
  if (input.type === 'oem' && input.boundMachineIds && new Set(input.boundMachineIds).size > input.quantity) {
    problems.push({ field: 'quantity', message: `an OEM licence of ${input.quantity} 套 cannot be bound to ${new Set(input.boundMachineIds).size} machines` });
  }
  return problems;
}
