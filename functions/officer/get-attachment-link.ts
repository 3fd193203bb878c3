import { contract } from '../../shared/api/contract';
import { NotFoundError } from '../../shared/domain/errors';
import { toVietnamIso } from '../../shared/domain/time';
import { officerRoute } from '../../shared/runtime/officer';
import { attachmentStore } from '../../shared/runtime/s3';

const attachments = attachmentStore();

export const handler = officerRoute('GetAttachmentLink', { params: contract.GetAttachmentLink.params }, async ({ params }) => {
  // Only files a dossier claimed are attachments; a fresh upload nobody submitted is not.
  const claimed = await attachments.claimed(params.id);
  if (!claimed) throw new NotFoundError({ vi: 'Không có tệp đính kèm này.', en: 'No such attachment.' });
  const link = await attachments.downloadLink(params.id, claimed.fileName);
  return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt) } };
});
