import t from 'tap';
import { creditCodeCheckCharacter, explainCreditCode, normaliseCreditCode, orgCodeCheckCharacter } from '../../../server/src/orgs/credit-code.ts';

/**
 * Published codes of real organisations; both check characters (GB 32100 over 1-17, GB 11714 over
 * the organisation code 9-17) hold for each. 91350100M000100Y43 is the standard's worked example.
 */
const REAL_CODES = [
  '91350100M000100Y43',
  '914403001922038216',
  '91440300708461136T',
  '91330100716105852F',
  '9144030071526726XG',
  '91110108551385082Q',
  '91110000802100433B',
  '91310000132206289R',
  '91110000710925462X',
  '91330106673959654P',
  '12100000400000624D',
];

t.test('real credit codes are accepted', async (t) => {
  for (const code of REAL_CODES) t.equal(explainCreditCode(code), undefined, code);
});

t.test('the check character is computed as GB 32100 says: 31 - (weighted sum mod 31), 31 -> 0', async (t) => {
  t.equal(creditCodeCheckCharacter('91350100M000100Y4'), '3');
  t.equal(creditCodeCheckCharacter('12100000400000624'), 'D');
  t.equal(orgCodeCheckCharacter('M000100Y'), '4');
  t.equal(orgCodeCheckCharacter('71526726'), 'X', 'GB 11714: 10 -> X');
  for (const code of REAL_CODES) t.equal(creditCodeCheckCharacter(code.slice(0, 17)), code[17], code);
});

t.test('a mistyped code is refused with the reason, in Chinese and English', async (t) => {
  const cases: [code: string, en: RegExp, zh: RegExp][] = [
    ['91350100M000100Y4', /18 characters, this one has 17/, /应为18位，实为17位/],
    ['91350100M000100Y44', /check character \(18th\) should be 3, not 4/, /校验码（第18位）应为3，实为4/],
    ['91350100M000100Y53', /organisation code \(characters 9-17\) should end in 4, not 5/, /组织机构代码/],
    ['91350100MO00100Y43', /character 10 \("O"\) is not allowed/, /第10位字符“O”不允许/],
    ['913501A0M000100Y43', /characters 3-8 must be the administrative division code/, /行政区划代码/],
    ['91440300708461136Z', /character 18 \("Z"\) is not allowed/, /不使用I、O、S、V、Z/],
  ];
  for (const [code, en, zh] of cases) {
    const problem = explainCreditCode(code);
    t.match(problem, { en, zh }, code);
  }
});

t.test('codes are compared upper-case without spaces, as people copy them', async (t) => {
  t.equal(normaliseCreditCode(' 9135 0100 m000 100y43 '), '91350100M000100Y43');
});

t.test('every single-character typo of a real code is caught', async (t) => {
  const code = '91440300708461136T';
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let typos = 0;
  for (let i = 0; i < 18; i++) {
    for (const c of alphabet) {
      if (c === code[i]) continue;
      const typo = code.slice(0, i) + c + code.slice(i + 1);
      typos++;
      if (!explainCreditCode(typo)) t.fail(`${typo} was accepted`);
    }
  }
  t.equal(typos, 18 * 30);
});
