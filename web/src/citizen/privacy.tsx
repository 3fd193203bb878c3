import { useEffect, useState } from 'preact/hooks';
import { CITIZEN_PAGES } from '../../../shared/api/portal-paths';
import { api } from '../common/api';
import { TableRegion } from '../common/table-region';
import type { components } from '../generated/api';
import { privacyNotice } from './privacy-text';

type ProcedureSummary = components['schemas']['ListProceduresResponse200']['items'][number];

/**
 * `/du-lieu-ca-nhan`: the privacy notice, one section per question (what, why, who, where, how
 * long, rights, how), with each procedure's retention read from the published catalog, so that
 * the page shows the very figure the erasure applies.
 */
export function PrivacyNotice() {
  const notice = privacyNotice();
  const [procedures, setProcedures] = useState<readonly ProcedureSummary[]>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    void api.GET('/procedures').then(({ data }) => (data ? setProcedures(data.items) : setFailed(true)));
  }, []);
  return (
    <>
      <h1>{notice.title}</h1>
      <p class="lead">{notice.lead}</p>
      <nav aria-label={notice.contents}>
        <ul>
          {notice.sections.map((section) => (
            <li key={section.id}>
              <a href={`#${section.id}`}>{section.heading}</a>
            </li>
          ))}
        </ul>
      </nav>
      {notice.sections.map((section) => (
        <section key={section.id} aria-labelledby={section.id}>
          <h2 id={section.id}>{section.heading}</h2>
          {section.paragraphs.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
          {section.items ? (
            <ul>
              {section.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          ) : null}
          {section.id === 'thoi-han' ? <RetentionTable procedures={procedures} failed={failed} /> : null}
        </section>
      ))}
    </>
  );
}

function RetentionTable(props: { readonly procedures: readonly ProcedureSummary[] | undefined; readonly failed: boolean }) {
  const notice = privacyNotice();
  if (props.failed) return <p role="alert">{notice.retentionUnavailable}</p>;
  if (props.procedures === undefined) return null;
  return (
    <TableRegion label={notice.retentionCaption}>
      <table class="table">
        <caption>{notice.retentionCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{notice.retentionProcedure}</th>
            <th scope="col">{notice.retentionYears}</th>
          </tr>
        </thead>
        <tbody>
          {props.procedures.map((procedure) => (
            <tr key={procedure.code}>
              <th scope="row">{procedure.name}</th>
              <td>{notice.years.replace('{n}', String(procedure.personalDataRetentionYears))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The link to the notice, where data is asked for (sign-in, submission) and in the footer. */
export function PrivacyLink() {
  return <a href={CITIZEN_PAGES.privacy}>{privacyNotice().linkText}</a>;
}
