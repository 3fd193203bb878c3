import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { catalogStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { httpRoute } from '../../shared/runtime/http';
import { previewAppointment } from '../../shared/use-cases/catalog';

const catalog = catalogStore();

export const handler = httpRoute({ params: contract.PreviewAppointment.params, query: contract.PreviewAppointment.query }, async ({ params, query }) => {
  const at = query.at ? new Date(query.at) : new Date();
  const preview = await previewAppointment(catalog, ward.officeHours, params.procedureCode, at);
  return {
    status: 200,
    body: {
      procedureCode: preview.procedure.code,
      receivedAt: toVietnamIso(preview.receivedAt),
      clockStartsAt: toVietnamIso(preview.clockStartsAt),
      appointmentAt: toVietnamIso(preview.appointmentAt),
      timeLimitDays: preview.procedure.timeLimitDays,
    },
  };
});
