import { useEffect, useState } from 'preact/hooks';
import { OFFICER_PAGES } from '../../../shared/api/portal-paths';
import type { components } from '../generated/api';
import { isProblem } from '../common/api';
import { DateInput, ErrorSummary, type FieldError } from '../common/forms';
import { currentLanguage, formatDateTime } from '../common/i18n';
import { navigate } from '../common/router';
import { TableRegion } from '../common/table-region';
import { officerApi } from './session';
import { t } from './texts';

type Report = components['schemas']['GetKpisResponse200'];
type Indicators = Report['indicators'];
type IndicatorName = keyof Indicators;
type CountName = keyof Report['counts'];
type SeriesPoint = Report['series'][number];
type NationalName = Exclude<keyof Report['national'], 'openOverdueAtEnd'>;

/** Decision 766's figures, in the order of its groups (progress, satisfaction, publicity, online services, digitisation). */
const NATIONAL = ['onTimeShare', 'lateShare', 'complaintShare', 'satisfaction', 'syncedShare', 'paidOnlineShare', 'eResultShare'] as const satisfies readonly NationalName[];

/** The indicators in the order the city reports them. */
const INDICATORS = ['onlineShare', 'fullyOnlineShare', 'onTimeShare', 'eCopyShare', 'satisfiedShare', 'nationalSatisfaction'] as const satisfies readonly IndicatorName[];
const COUNTS = [
  'submitted',
  'received',
  'notReceived',
  'resolved',
  'early',
  'onTime',
  'late',
  'returned',
  'stopped',
  'ratings',
  'openOverdue',
] as const satisfies readonly CountName[];

const VIETNAM = 'Asia/Ho_Chi_Minh';
/** Today in Vietnam as YYYY-MM-DD. */
const todayInVietnam = () => new Intl.DateTimeFormat('en-CA', { timeZone: VIETNAM, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const isDay = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);
/** A calendar day (YYYY-MM-DD) as dd/MM/yyyy, without going through a time zone. */
const dayText = (day: string) => day.split('-').reverse().join('/');

const percent = (share: number) => new Intl.NumberFormat(currentLanguage() === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(share);

export function KpiPage(props: { search: string }) {
  const params = new URLSearchParams(props.search);
  const today = todayInVietnam();
  const from = isDay(params.get('from')) ? (params.get('from') as string) : `${today.slice(0, 8)}01`;
  const to = isDay(params.get('to')) ? (params.get('to') as string) : today;
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);

  useEffect(() => {
    document.title = `${t('kpiTitle')} – ${t('consoleTitle')}`;
  }, []);
  useEffect(() => {
    setFromInput(from);
    setToInput(to);
    setReport(undefined);
    setFailure(undefined);
    officerApi.GET('/officer/kpis', { params: { query: { from, to } } }).then(
      ({ data, error }) => {
        if (data !== undefined) setReport(data);
        else if (isProblem(error) && error.errors?.length)
          setErrors(error.errors.map((issue) => ({ field: issue.path.endsWith('to') ? 'kpi-to' : 'kpi-from', message: issue.message })));
        else setFailure(isProblem(error) ? error.detail : t('loadFailed'));
      },
      () => setFailure(t('loadFailed')),
    );
  }, [from, to]);

  return (
    <>
      <h1>{t('kpiTitle')}</h1>
      <p class="lead">{t('kpiLead')}</p>
      <ErrorSummary title={t('errorSummaryTitle')} errors={errors} />
      <form
        noValidate
        class="date-range"
        onSubmit={(event) => {
          event.preventDefault();
          const problems: FieldError[] = [];
          if (!isDay(fromInput)) problems.push({ field: 'kpi-from', message: t('required', { field: t('kpiFrom').toLowerCase() }) });
          if (!isDay(toInput)) problems.push({ field: 'kpi-to', message: t('required', { field: t('kpiTo').toLowerCase() }) });
          if (problems.length === 0 && fromInput > toInput) problems.push({ field: 'kpi-from', message: t('dateRangeInvalid') });
          setErrors(problems);
          if (problems.length === 0) navigate(`${OFFICER_PAGES.kpis}?from=${fromInput}&to=${toInput}`);
        }}
      >
        <DateInput id="kpi-from" label={t('kpiFrom')} value={fromInput} onChange={setFromInput} error={errors.find((error) => error.field === 'kpi-from')?.message} />
        <DateInput id="kpi-to" label={t('kpiTo')} value={toInput} onChange={setToInput} error={errors.find((error) => error.field === 'kpi-to')?.message} />
        <div class="button-group">
          <button type="submit" class="button">
            {t('kpiShow')}
          </button>
        </div>
      </form>
      {failure ? (
        <div class="error-summary" role="alert">
          <p>{failure}</p>
        </div>
      ) : report === undefined ? (
        errors.length === 0 && <p role="status">{t('loading')}</p>
      ) : (
        <ReportView report={report} />
      )}
    </>
  );
}

function ReportView(props: { report: Report }) {
  const { report } = props;
  const interval = t(`interval${report.interval}`);
  return (
    <>
      <p>{t('kpiPeriod', { from: dayText(report.from), to: dayText(report.to), days: report.days, asOf: formatDateTime(report.asOf) })}</p>
      <TableRegion label={t('kpiTitle')}>
        <table class="table">
          <caption>{t('kpiTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('kpiIndicator')}</th>
              <th scope="col">{t('kpiValue')}</th>
              <th scope="col">{t('kpiTarget')}</th>
              <th scope="col">{t('kpiMet')}</th>
            </tr>
          </thead>
          <tbody>
            {INDICATORS.map((name) => {
              const indicator = report.indicators[name];
              return (
                <tr key={name}>
                  <th scope="row">{t(`kpi_${name}`)}</th>
                  <td>
                    {indicator.value === null ? t('kpiNoData') : percent(indicator.value)}
                    {'numerator' in indicator && <span class="muted"> ({t('kpiOf', { numerator: indicator.numerator, denominator: indicator.denominator })})</span>}
                  </td>
                  <td>{indicator.target === null ? t('kpiNoTarget') : percent(indicator.target)}</td>
                  <td>
                    {indicator.met === null ? (
                      '–'
                    ) : indicator.met ? (
                      <strong class="tag tag--done">{t('kpiMetYes')}</strong>
                    ) : (
                      <strong class="tag tag--error">{t('kpiMetNo')}</strong>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      <TargetChart indicators={report.indicators} />
      <NationalView national={report.national} />
      <h2>{t('kpiSeriesTitle', { interval })}</h2>
      {INDICATORS.filter((name) => report.indicators[name].target !== null).map((name) => (
        <SeriesChart key={name} name={name} series={report.series} target={report.indicators[name].target} interval={report.interval} />
      ))}
      <h2>{t('kpiCounts')}</h2>
      <dl class="summary">
        {COUNTS.map((name) => (
          <>
            <dt key={`${name}-label`}>{t(`count_${name}`)}</dt>
            <dd key={`${name}-value`}>{report.counts[name]}</dd>
          </>
        ))}
      </dl>
    </>
  );
}

/** Decision 766's figures, each with its formula and the terms it was computed from. */
function NationalView(props: { national: Report['national'] }) {
  const { national } = props;
  return (
    <>
      <h2>{t('kpiNationalTitle')}</h2>
      <p>{t('kpiNationalLead', { open: national.openOverdueAtEnd })}</p>
      <TableRegion label={t('kpiNationalTitle')}>
        <table class="table">
          <caption>{t('kpiNationalTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('kpiIndicator')}</th>
              <th scope="col">{t('kpiValue')}</th>
              <th scope="col">{t('kpiTarget')}</th>
              <th scope="col">{t('kpiFormula')}</th>
            </tr>
          </thead>
          <tbody>
            {NATIONAL.map((name) => {
              const figure = national[name];
              return (
                <tr key={name}>
                  <th scope="row">{t(`national_${name}`)}</th>
                  <td>
                    {figure.value === null ? t('kpiNoData') : percent(figure.value)}
                    <span class="muted"> ({t('kpiOf', { numerator: figure.numerator, denominator: figure.denominator })})</span>
                  </td>
                  <td>
                    {figure.target === null
                      ? t('kpiNoTarget')
                      : `${percent(figure.target)}${figure.met === null ? '' : figure.met ? ` – ${t('kpiMetYes')}` : ` – ${t('kpiMetNo')}`}`}
                  </td>
                  <td>
                    <code>{figure.formula}</code>
                    <br />
                    <span class="muted">
                      {Object.entries(figure.terms)
                        .map(([term, value]) => `${term} = ${value}`)
                        .join(', ')}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}

/** Horizontal bars, one per indicator, with the target as a mark across each; the table above is its text alternative. */
function TargetChart(props: { indicators: Indicators }) {
  const rows = INDICATORS.map((name) => ({ name, ...props.indicators[name] }));
  const label = 260;
  const width = 640;
  const bar = width - label - 60;
  const rowHeight = 36;
  const height = rows.length * rowHeight + 24;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="kpi-bars-title kpi-bars-desc" width="100%" preserveAspectRatio="xMinYMin meet">
        <title id="kpi-bars-title">{t('kpiChartTitle')}</title>
        <desc id="kpi-bars-desc">{t('kpiChartDescription')}</desc>
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line x1={label + tick * bar} x2={label + tick * bar} y1={0} y2={rows.length * rowHeight} class="chart__grid" />
            <text x={label + tick * bar} y={height - 6} text-anchor="middle" class="chart__axis">
              {percent(tick)}
            </text>
          </g>
        ))}
        {rows.map((row, index) => {
          const y = index * rowHeight;
          return (
            <g key={row.name}>
              <text x={label - 8} y={y + rowHeight / 2 + 5} text-anchor="end" class="chart__label">
                {t(`kpi_${row.name}`)}
              </text>
              <rect
                x={label}
                y={y + 8}
                width={Math.max(0, (row.value ?? 0) * bar)}
                height={rowHeight - 16}
                class={row.met === false ? 'chart__bar chart__bar--below' : 'chart__bar'}
              />
              <text x={label + (row.value ?? 0) * bar + 6} y={y + rowHeight / 2 + 5} class="chart__value">
                {row.value === null ? '–' : percent(row.value)}
              </text>
              {row.target !== null && <line x1={label + row.target * bar} x2={label + row.target * bar} y1={y + 3} y2={y + rowHeight - 3} class="chart__target" />}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

const periodText = (point: SeriesPoint, interval: Report['interval']) =>
  interval === 'month' ? point.period.split('-').reverse().join('/') : interval === 'week' ? `${dayText(point.from)}–${dayText(point.to)}` : dayText(point.from);

/** One indicator step by step, as a line against its target (dashed); the table under it is its text alternative. */
function SeriesChart(props: { name: (typeof INDICATORS)[number]; series: Report['series']; target: number | null; interval: Report['interval'] }) {
  const { name, series } = props;
  const width = 640;
  const height = 220;
  const left = 48;
  const right = 16;
  const top = 12;
  const bottom = 36;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index: number) => left + (series.length <= 1 ? plotWidth / 2 : (index / (series.length - 1)) * plotWidth);
  const y = (share: number) => top + (1 - share) * plotHeight;
  const points = series.map((point, index) => ({ index, value: point.indicators[name].value }));
  // A step without data breaks the line rather than drawing it down to zero.
  const segments: { index: number; value: number }[][] = [];
  for (const point of points) {
    if (point.value === null) segments.push([]);
    else {
      if (segments.length === 0) segments.push([]);
      segments[segments.length - 1]?.push({ index: point.index, value: point.value });
    }
  }
  const titleId = `kpi-series-${name}-title`;
  const descId = `kpi-series-${name}-desc`;
  const interval = t(`interval${props.interval}`);
  const last = series[series.length - 1];
  const first = series[0];
  return (
    <figure class="chart">
      <figcaption>
        <h3 id={titleId}>{t(`kpi_${name}`)}</h3>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <desc id={descId}>{t('kpiSeriesDescription', { indicator: t(`kpi_${name}`).toLowerCase(), interval, target: props.target === null ? '' : percent(props.target) })}</desc>
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} class="chart__grid" />
            <text x={left - 6} y={y(tick) + 4} text-anchor="end" class="chart__axis">
              {percent(tick)}
            </text>
          </g>
        ))}
        {props.target !== null && <line x1={left} x2={width - right} y1={y(props.target)} y2={y(props.target)} class="chart__target chart__target--dashed" />}
        {segments
          .filter((segment) => segment.length > 0)
          .map((segment) => (
            <polyline key={segment[0]?.index} points={segment.map((point) => `${x(point.index)},${y(point.value)}`).join(' ')} class="chart__line" />
          ))}
        {points.map((point) => (point.value === null ? null : <circle key={point.index} cx={x(point.index)} cy={y(point.value)} r={3.5} class="chart__point" />))}
        {first && (
          <text x={left} y={height - 10} class="chart__axis">
            {periodText(first, props.interval)}
          </text>
        )}
        {last && series.length > 1 && (
          <text x={width - right} y={height - 10} text-anchor="end" class="chart__axis">
            {periodText(last, props.interval)}
          </text>
        )}
      </svg>
      <details>
        <summary>{t('kpiSeriesTable')}</summary>
        <TableRegion label={t(`kpi_${name}`)}>
          <table class="table">
            <caption class="visually-hidden">{t(`kpi_${name}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('kpiPeriodCol')}</th>
                <th scope="col">{t('kpiValue')}</th>
                <th scope="col">{t('kpiTarget')}</th>
              </tr>
            </thead>
            <tbody>
              {series.map((point) => {
                const indicator = point.indicators[name];
                return (
                  <tr key={point.period}>
                    <th scope="row">{periodText(point, props.interval)}</th>
                    <td>
                      {indicator.value === null ? t('kpiNoData') : percent(indicator.value)}
                      {'numerator' in indicator && <span class="muted"> ({t('kpiOf', { numerator: indicator.numerator, denominator: indicator.denominator })})</span>}
                    </td>
                    <td>{indicator.target === null ? t('kpiNoTarget') : percent(indicator.target)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      </details>
    </figure>
  );
}
