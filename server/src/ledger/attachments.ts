import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { licenceAttachments, licences } from '../db/schema/ledger.ts';
import { badRequest, notFound } from '../errors.ts';
import { auditLedgerChange } from './audit.ts';

/** Largest attachment: a scanned contract of many pages fits; a video does not. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** What may be attached: scans, PDFs, OFD (the national fixed-layout format), spreadsheets. */
export const ATTACHMENT_CONTENT_TYPES = [
  'application/pdf',
  'application/ofd',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

/** Where the bytes of an attachment live: DATA_DIR/attachments/<first two hex>/<sha256>. */
export function attachmentPath(dataDir: string, sha256: string): string {
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256);
}

/**
 * Stores an attachment: the bytes by their SHA-256 (the same file attached twice is stored once;
 * written to a temporary name and renamed, so a crash leaves no half file under the real name),
 * then the row, audited.
 */
export async function addAttachment(
  db: Db,
  dataDir: string,
  input: { actorUserId: string; licenceId: string; fileName: string; contentType: string; data: Buffer },
) {
  if (input.data.length === 0) throw badRequest('attachment.empty', 'the file is empty');
  if (input.data.length > MAX_ATTACHMENT_BYTES) throw badRequest('attachment.too-large', `the file is over ${MAX_ATTACHMENT_BYTES} bytes`);
  const [licence] = await db.select({ orgId: licences.orgId }).from(licences).where(eq(licences.id, input.licenceId));
  if (!licence) throw notFound('licence.not-found', `no licence ${input.licenceId}`);
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const path = attachmentPath(dataDir, sha256);
  await mkdir(join(dataDir, 'attachments', sha256.slice(0, 2)), { recursive: true });
  const exists = await stat(path).then((s) => s.size === input.data.length, () => false);
  if (!exists) {
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, input.data);
    await rename(temporary, path);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(licenceAttachments)
      .values({ licenceId: input.licenceId, fileName: input.fileName, contentType: input.contentType, sizeBytes: input.data.length, sha256, createdBy: input.actorUserId })
      .returning();
    await auditLedgerChange(tx, { actorUserId: input.actorUserId, orgId: licence.orgId, action: 'attachment.added', targetId: row!.id, detail: { licenceId: input.licenceId, fileName: input.fileName, sha256, sizeBytes: input.data.length } });
    return row!;
  });
}

/** An attachment's row and a stream of its bytes. */
export async function openAttachment(db: Db, dataDir: string, id: string) {
  const [row] = await db.select().from(licenceAttachments).where(eq(licenceAttachments.id, id));
  if (!row) throw notFound('attachment.not-found', `no attachment ${id}`);
  return { row, stream: createReadStream(attachmentPath(dataDir, row.sha256)) };
}
