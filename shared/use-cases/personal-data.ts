import { randomUUID } from 'node:crypto';
import type { DossierWithHistory } from '../domain/dossier';
import { erasePersonalData, erasureDecision, historyWithNotes, type AccessEntry, type LoggedReadRoute, type SubjectExportRecord } from '../domain/personal-data';
import { documentsOf } from './list-documents';
import type { Clock, DossierStore, IdHasher, PageRequest, PersonalDataPage, PersonalDataStore } from './ports';

/** The officer as the access log names them. */
export interface Reader {
  readonly id: string;
  readonly name: string;
}

/**
 * Records that `officer` read `dossierCode` through `route`, after the read succeeded and before
 * its answer leaves: if the log cannot be written, the read fails with it (a 503 the officer
 * retries), so that no answer goes out unrecorded.
 */
export async function recordRead(
  deps: { readonly personalData: PersonalDataStore; readonly clock: Clock },
  read: { readonly officer: Reader; readonly route: LoggedReadRoute; readonly dossierCode: string; readonly item?: string },
): Promise<void> {
  await deps.personalData.recordAccess({
    dossierCode: read.dossierCode,
    at: deps.clock.now(),
    officer: { id: read.officer.id, name: read.officer.name },
    route: read.route,
    ...(read.item === undefined ? {} : { item: read.item }),
  });
}

/** One dossier of a data-subject export: all the table holds of it, and who read it. */
export interface ExportedDossier {
  readonly found: DossierWithHistory;
  readonly accessLog: readonly AccessEntry[];
}

export interface SubjectExport {
  readonly record: SubjectExportRecord;
  readonly idNumber: string;
  readonly dossiers: readonly ExportedDossier[];
}

/** An export reads at most this many dossiers: its record and its reads are one transaction of at most 100 items. */
export const MAX_EXPORTED_DOSSIERS = 99;

/**
 * `POST /officer/data-subject-exports`: everything the ward's table holds about one personal ID
 * number, for the data subject's request to be given their data (Law 91/2025/QH15, Article 4):
 * the dossiers found by the HMAC of the number on the `byApplicant` index (one Query, paged only
 * past 1 MB), each with its history, attachments, documents, rating and its access log (one Query
 * each). The export is recorded (who, when, why, the HMAC, which dossiers) together with an access
 * entry per dossier, in one transaction, before the data is answered.
 *
 * @throws ServiceBusyError when the record cannot be written now (nothing is answered then)
 */
export async function exportSubjectData(
  deps: { readonly personalData: PersonalDataStore; readonly dossiers: DossierStore; readonly idHasher: IdHasher; readonly clock: Clock },
  request: { readonly idNumber: string; readonly reason: string; readonly officer: Reader },
): Promise<SubjectExport> {
  const applicantKey = await deps.idHasher.hash(request.idNumber);
  const held = (await deps.personalData.applicantDossiers(applicantKey)).slice(0, MAX_EXPORTED_DOSSIERS);
  const dossiers: ExportedDossier[] = [];
  for (const dossier of held) {
    const [found, accessLog] = await Promise.all([deps.dossiers.getDossierWithHistory(dossier.code, applicantKey), allAccess(deps.personalData, dossier.code)]);
    if (found) dossiers.push({ found, accessLog });
  }
  const at = deps.clock.now();
  const record: SubjectExportRecord = {
    id: randomUUID(),
    at,
    officer: { id: request.officer.id, name: request.officer.name },
    reason: request.reason,
    applicantKey,
    dossierCodes: dossiers.map(({ found }) => found.dossier.code),
  };
  await deps.personalData.recordExport(
    record,
    dossiers.map(({ found }) => ({ dossierCode: found.dossier.code, at, officer: record.officer, route: 'CreateDataSubjectExport', exportId: record.id })),
  );
  return { record, idNumber: request.idNumber, dossiers };
}

/** The documents of an exported dossier, as the officers' list gives them. */
export const exportedDocuments = (dossier: ExportedDossier) => documentsOf(dossier.found);

/** A dossier's whole access log, newest first. */
async function allAccess(store: PersonalDataStore, code: string): Promise<AccessEntry[]> {
  const entries: AccessEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listAccess(code, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return entries;
}

export const accessLogOf = (deps: { readonly personalData: PersonalDataStore }, code: string, page: PageRequest): Promise<PersonalDataPage<AccessEntry>> =>
  deps.personalData.listAccess(code, page);

export const exportRecords = (deps: { readonly personalData: PersonalDataStore }, page: PageRequest): Promise<PersonalDataPage<SubjectExportRecord>> =>
  deps.personalData.listExports(page);

/** What one run of the erasure did. */
export interface ErasureRun {
  readonly erased: readonly string[];
  readonly postponed: number;
  readonly dropped: number;
  readonly conflicts: number;
}

/** Entries one run handles: a bounded cost per run (one Query, then a read and a transaction per entry). */
export const ERASURES_PER_RUN = 50;

/**
 * The scheduled erasure (`ErasePersonalData`, daily): for each entry of the schedule due now, the
 * dossier decides (erasureDecision): its personal data is erased (the dossier, a history event,
 * the notes of earlier events and the entry, one transaction conditional on its version), or the
 * entry moves to the dossier's real due date, or goes. A dossier changed meanwhile is left for
 * the next run. Neither the KPI counters nor the archive are touched.
 */
export async function eraseExpiredPersonalData(
  deps: { readonly personalData: PersonalDataStore; readonly dossiers: DossierStore; readonly clock: Clock },
  limit = ERASURES_PER_RUN,
): Promise<ErasureRun> {
  const now = deps.clock.now();
  const due = await deps.personalData.dueErasures(now, limit);
  const run = { erased: [] as string[], postponed: 0, dropped: 0, conflicts: 0 };
  for (const entry of due) {
    const found = await deps.dossiers.getDossierWithHistory(entry.dossierCode);
    if (!found) {
      await deps.personalData.dropErasure(entry);
      run.dropped += 1;
      continue;
    }
    const decision = erasureDecision(found.dossier, now);
    if (decision.kind === 'DROP') {
      await deps.personalData.dropErasure(entry);
      run.dropped += 1;
    } else if (decision.kind === 'POSTPONE') {
      await deps.personalData.postponeErasure(entry, decision.dueAt);
      run.postponed += 1;
    } else {
      const { dossier, history } = erasePersonalData(found.dossier, now);
      const outcome = await deps.personalData.erase(entry, {
        dossier,
        history,
        expectedVersion: found.dossier.version,
        notedHistory: historyWithNotes(found.history).map((event) => event.sequence),
      });
      if (outcome === 'ERASED') run.erased.push(dossier.code);
      else run.conflicts += 1;
    }
  }
  return run;
}
