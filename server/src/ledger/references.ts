import { eq } from 'drizzle-orm';
import { ownedBy, type OrgReference } from '../access/references.ts';
import { licenceAttachments, licences } from '../db/schema/ledger.ts';

/** A licence: owned by its unit. */
export const licenceRef = ownedBy('licence', licences.id, licences.orgId);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An attachment: owned by the unit of its licence. */
export const attachmentRef: OrgReference = {
  kind: 'attachment',
  async resolve(db, id) {
    if (!UUID.test(id)) return undefined;
    const [row] = await db
      .select({ orgId: licences.orgId })
      .from(licenceAttachments)
      .innerJoin(licences, eq(licences.id, licenceAttachments.licenceId))
      .where(eq(licenceAttachments.id, id.toLowerCase()))
      .limit(1);
    return row?.orgId;
  },
};
