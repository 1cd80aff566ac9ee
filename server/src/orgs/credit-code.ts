/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character
 * alphabet (digits and capitals without I, O, S, V, Z). Position 1 is the registering authority,
 * 2 the entity type, 3-8 the administrative division, 9-17 the organisation code (GB 11714, with its
 * own check character at 17), 18 the check character over 1-17.
 */

/** The alphabet; a character's value is its index (0-9, A=10 ... Y=30). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714 weights of the organisation code's eight body characters. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A reason in the two languages the import preview shows. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The check character (position 18) of the first 17 characters. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[check === 31 ? 0 : check]!;
}

/** The GB 11714 check character of an organisation code's eight body characters (A=10 ... Z=35). */
export function orgCodeCheckCharacter(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i]!;
    sum += (c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55) * ORG_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 11 ? '0' : check === 10 ? 'X' : String(check);
}

/** Upper-case and without surrounding or inner spaces (codes are often copied with spaces). */
export function normaliseCreditCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/** Why a (normalised) code is not valid, or undefined when it is. */
export function explainCreditCode(code: string): Bilingual | undefined {
  if (code.length !== 18) return { zh: `统一社会信用代码应为18位，实为${code.length}位`, en: `a credit code has 18 characters, this one has ${code.length}` };
  const bad = [...code].findIndex((c) => !CREDIT_CODE_CHARSET.includes(c));
  if (bad >= 0) {
    return { zh: `第${bad + 1}位字符“${code[bad]}”不允许（不使用I、O、S、V、Z）`, en: `character ${bad + 1} ("${code[bad]}") is not allowed (I, O, S, V, Z are never used)` };
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { zh: '第3至8位应为行政区划代码（数字）', en: 'characters 3-8 must be the administrative division code (digits)' };
  const orgCheck = orgCodeCheckCharacter(code.slice(8, 16));
  if (orgCheck !== code[16]) {
    return { zh: `组织机构代码（第9至17位）校验位应为${orgCheck}，实为${code[16]}`, en: `the organisation code (characters 9-17) should end in ${orgCheck}, not ${code[16]}` };
  }
  const check = creditCodeCheckCharacter(code.slice(0, 17));
  if (check !== code[17]) return { zh: `校验码（第18位）应为${check}，实为${code[17]}`, en: `the check character (18th) should be ${check}, not ${code[17]}` };
  return undefined;
}
