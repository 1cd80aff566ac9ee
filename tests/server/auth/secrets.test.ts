import t from 'tap';
import { generateToken } from '../../../server/src/auth/secrets.ts';

t.test('generated tokens are URL-safe and never start with "-", so a printed "--token <token>" always parses', async (t) => {
  // 1 in 64 base64url strings starts with "-": 5,000 draws would hit one ~78 times.
  const tokens = Array.from({ length: 5_000 }, () => generateToken(24));
  t.ok(tokens.every((token) => /^[A-Za-z0-9_][A-Za-z0-9_-]{31}$/.test(token)), 'base64url of 24 bytes, no leading dash');
  t.equal(new Set(tokens).size, tokens.length, 'all different');
});
