import { contract } from '../../shared/api/contract';
import { NotFoundError } from '../../shared/domain/errors';
import { toVietnamIso } from '../../shared/domain/time';
import { personalDataStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { attachmentStore } from '../../shared/runtime/s3';
import { recordRead } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const attachments = attachmentStore();
const log = { personalData: personalDataStore(), clock: systemClock };

export const handler = officerRoute('GetAttachmentLink', { params: contract.GetAttachmentLink.params }, async ({ params }, officer) => {
  // Only files a dossier claimed are attachments; a fresh upload nobody submitted is not.
  const [claimed, dossierCode] = await Promise.all([attachments.claimed(params.id), log.personalData.dossierOfUpload(params.id)]);
  if (!claimed || dossierCode === undefined) throw new NotFoundError({ vi: 'Không có tệp đính kèm này.', en: 'No such attachment.' });
  const link = await attachments.downloadLink(params.id, claimed.fileName);
  await recordRead(log, { officer, route: 'GetAttachmentLink', dossierCode, item: params.id });
  return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt) } };
});
