import { GENESIS_HASH, canonicalJson, dailyManifestKey, sha256Of, type DailyManifest, type DailyManifestFacts, type ManifestEntry } from '../domain/archive';
import { toVietnamIso, vietnamDate } from '../domain/time';
import { publishManifestEntries, signFacts, type IssuingDeps } from './issue-document';
import type { DocumentStore } from './ports';

const PAGE = 500;

/**
 * Seals the manifest's complete days (every day before today, Vietnam time), oldest first: copies
 * to the archive any entry of the day that is not there yet (a function that committed a change
 * but could not copy its entry), then archives the day's seal — its first and last sequence, the
 * last entry's hash (which, by the chain, commits to every entry before it) and the previous
 * seal's hash — signed by the ward's key. Idempotent: a day sealed already is not sealed again,
 * and two runs at once write one seal per day (conditional writes).
 *
 * @returns the days sealed by this run
 */
export async function sealManifest(
  deps: Pick<IssuingDeps, 'archive' | 'signingIdentity' | 'ward' | 'clock' | 'onPublishFailure'> & { readonly documents: DocumentStore },
): Promise<string[]> {
  const today = vietnamDate(deps.clock.now());
  const sealed: string[] = [];
  let state = (await deps.documents.lastSeal()) ?? { lastSequence: 0, sealHash: GENESIS_HASH, day: '' };
  for (;;) {
    const day = await nextDay(deps.documents, state.lastSequence);
    if (day === undefined || day.day >= today) return sealed;
    await publishManifestEntries(deps, day.entries);
    const last = day.entries[day.entries.length - 1] as ManifestEntry;
    const facts: DailyManifestFacts = {
      format: 'mot-cua-so/manifest-daily@1',
      ward: deps.ward.slug,
      day: day.day,
      firstSequence: (day.entries[0] as ManifestEntry).sequence,
      lastSequence: last.sequence,
      lastHash: last.hash,
      previousSealHash: state.sealHash,
      sealedAt: toVietnamIso(deps.clock.now()),
    };
    const seal: DailyManifest = { facts, signature: await signFacts(await deps.signingIdentity(), facts) };
    let sealJson = canonicalJson(seal);
    if ((await deps.archive.putJson(dailyManifestKey(day.day), sealJson)) === 'EXISTS') {
      // Another run sealed this day first: its seal is the day's.
      const existing = await deps.archive.get(dailyManifestKey(day.day));
      if (existing === undefined) throw new Error(`the seal of ${day.day} is neither writable nor readable`);
      sealJson = Buffer.from(existing).toString('utf8');
    }
    const next = { lastSequence: last.sequence, sealHash: sha256Of(sealJson), day: day.day };
    if (!(await deps.documents.recordSeal(next, state.lastSequence))) return sealed;
    sealed.push(day.day);
    state = next;
  }
}

/** The entries after `sequence` that share the first one's day. */
async function nextDay(documents: DocumentStore, sequence: number): Promise<{ day: string; entries: ManifestEntry[] } | undefined> {
  const entries: ManifestEntry[] = [];
  let after = sequence;
  let day: string | undefined;
  for (;;) {
    const page = await documents.manifestEntriesAfter(after, PAGE);
    for (const entry of page) {
      const entryDay = vietnamDate(new Date(entry.recordedAt));
      day ??= entryDay;
      if (entryDay !== day) return { day, entries };
      entries.push(entry);
    }
    if (page.length < PAGE) return day === undefined ? undefined : { day, entries };
    after = (page[page.length - 1] as ManifestEntry).sequence;
  }
}
