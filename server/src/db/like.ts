/** Text taken literally inside a LIKE/ILIKE pattern: `%`, `_` and the escape character `\` escaped. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
