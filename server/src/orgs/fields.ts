/**
 * The editable fields of an org, as zod schemas shared by the API and the unit import, with the
 * column lengths of db/schema.ts.
 */
import { z } from 'zod';
import { LineText } from '../routes/schemas.ts';
import { explainCreditCode, normaliseCreditCode } from './credit-code.ts';
import { SECTOR_NAMES } from './sectors.ts';

export const ORG_FIELD_LENGTH = { name: 200, region: 128, head: 64, liaison: 64, phone: 64 } as const;

/** Optional text: blank means "none" (stored as null). */
const optionalLine = (max: number) =>
  LineText.trim()
    .max(max, `at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

export const OrgName = LineText.trim().min(1, 'enter a name').max(ORG_FIELD_LENGTH.name, `at most ${ORG_FIELD_LENGTH.name} characters`);

/** A credit code, normalised (spaces removed, upper case) and checked (GB 32100 and GB 11714 check characters). */
export const CreditCode = LineText.max(64)
  .transform(normaliseCreditCode)
  .superRefine((code, ctx) => {
    const problem = explainCreditCode(code);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem.en} | ${problem.zh}` });
  });

export const Sector = z.enum(SECTOR_NAMES, { error: `must be one of ${SECTOR_NAMES.join(', ')}` });

/** Telephone numbers as people write them: 0730-8888888, 13800138000, +86 730 8888888, 0730-8888888转123. */
export const Phone = LineText.trim()
  .max(ORG_FIELD_LENGTH.phone)
  .regex(/^[0-9+\-() ]*(?:(?:转|ext\.?|x)\s*[0-9]+)?$/i, 'digits, spaces, + - ( ) and an extension (转123) only');

/** The most computers a unit can be expected to have (a large hospital group has some tens of thousands). */
export const MAX_EXPECTED_MACHINES = 1_000_000;
export const ExpectedMachines = z
  .number({ error: 'must be a whole number of computers' })
  .int('must be a whole number of computers')
  .min(0, 'cannot be negative')
  .max(MAX_EXPECTED_MACHINES, `at most ${MAX_EXPECTED_MACHINES}`);

export const OrgFields = z.object({
  name: OrgName,
  creditCode: CreditCode.nullish().transform((value) => value ?? null),
  sector: Sector.nullish().transform((value) => value ?? null),
  region: optionalLine(ORG_FIELD_LENGTH.region),
  /** 主要负责人 */
  head: optionalLine(ORG_FIELD_LENGTH.head),
  /** 联络员 */
  liaison: optionalLine(ORG_FIELD_LENGTH.liaison),
  phone: Phone.nullish().transform((value) => (value ? value : null)),
  /** 计算机台数: how many computers the unit has, by its own count (enrolment progress is measured against it). */
  expectedMachines: ExpectedMachines.nullish().transform((value) => value ?? null),
});
export type OrgFieldValues = z.infer<typeof OrgFields>;

/**
 * Fields a unit admin may change on its own unit: the contacts, and how many computers it has
 * (the unit knows best; enrolment progress is its own). The register fields are the bureau's.
 */
export const UNIT_ADMIN_FIELDS = ['head', 'liaison', 'phone', 'expectedMachines'] as const;
