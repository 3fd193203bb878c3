import { ward } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/observability';
import { deadlineScheduler } from '../../shared/runtime/sfn';
import { streamHandler } from '../../shared/runtime/stream';
import { startDeadlines } from '../../shared/use-cases/deadlines';

const deps = { scheduler: deadlineScheduler(), officeHours: ward.officeHours };

/** The deadline starter: starts, restarts and stops each dossier clock's execution from the outbox events. */
export const handler = streamHandler('DeadlineStarter', async (event) => {
  logger.info('deadline clock', { ...(await startDeadlines(deps, event)) });
});
