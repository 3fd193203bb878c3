import * as z from 'zod';
// Imported, not read from disk: the functions that check a hand-over's competent ward bundle it in.
import unitsData from './units.json' with { type: 'json' };
import { WardConfigSchema } from '../../shared/domain/ward-config';

/**
 * The data file of Hanoi's commune-level units (units.json, beside this module): what each unit
 * is (official code, name, ward or commune), how it is deployed (slug, SMS sender id, alert
 * mailboxes) and, once known, its agency code with the document that assigns it. The file says
 * where each of its lists comes from (`sources`) and what is still a placeholder (`about`).
 */

const TYPE_PREFIX = { ward: 'Phường ', commune: 'Xã ' } as const;

/** An agency code the file records as assigned, with the decision or letter that assigns it. */
const ConfirmedAgencyCodeSchema = z
  .object({
    code: WardConfigSchema.shape.agencyCode.regex(/^\d{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.H26$/, 'a Hanoi agency code, xxx.xx.xx.H26'),
    source: z.string().min(10),
  })
  .strict();

export const UnitSchema = z
  .object({
    unitCode: z.string().regex(/^\d{5}$/, 'the 5-digit administrative unit code'),
    name: z.string().refine((name) => name === name.normalize('NFC'), 'NFC'),
    type: z.enum(['ward', 'commune']),
    slug: WardConfigSchema.shape.slug,
    /** Null while no source confirms it: the ward configuration then carries a placeholder. */
    agencyCode: ConfirmedAgencyCodeSchema.nullable(),
    smsSenderName: WardConfigSchema.shape.smsSenderName,
    alertEmails: WardConfigSchema.shape.alertEmails,
  })
  .strict()
  .refine((unit) => unit.name.startsWith(TYPE_PREFIX[unit.type]), { message: 'a ward\'s name begins with "Phường ", a commune\'s with "Xã "', path: ['name'] });
export type Unit = z.output<typeof UnitSchema>;

const SourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(10),
    url: z.url().optional(),
    /** Which fields of the units this source gives or checks. */
    fields: z.array(z.enum(['unitCode', 'name', 'type', 'agencyCode'])).min(1),
    note: z.string().optional(),
  })
  .strict();

/** What no two units share: the SMS sender id too, which the ward's SMS carry as their origin. Agency codes are checked on the configurations (wards.ts), placeholders included. */
const UNIQUE_FIELDS = ['unitCode', 'name', 'slug', 'smsSenderName'] as const;

export const UnitsFileSchema = z
  .object({
    province: z.string().min(3),
    effectiveFrom: z.iso.date(),
    about: z.array(z.string()).min(1),
    sources: z.array(SourceSchema).min(1),
    units: z.array(UnitSchema).min(1),
  })
  .strict()
  .superRefine((file, context) => {
    for (const field of UNIQUE_FIELDS) {
      const seen = new Map<string, number>();
      file.units.forEach((unit, index) => {
        const value = unit[field];
        const first = seen.get(value);
        if (first === undefined) seen.set(value, index);
        else context.addIssue({ code: 'custom', path: ['units', index, field], message: `${field} '${value}' is also unit ${first}'s` });
      });
    }
    for (const [field, sourced] of [
      ['unitCode', true],
      ['name', true],
      ['agencyCode', file.units.some((unit) => unit.agencyCode !== null)],
    ] as const) {
      if (sourced && !file.sources.some((source) => (source.fields as readonly string[]).includes(field))) {
        context.addIssue({ code: 'custom', path: ['sources'], message: `no source gives the units' ${field}` });
      }
    }
  });
export type UnitsFile = z.output<typeof UnitsFileSchema>;

/** Parses a units file's text (or its parsed JSON); throws naming every problem found. */
export function parseUnitsFile(text: unknown, origin = 'units.json'): UnitsFile {
  const parsed = UnitsFileSchema.safeParse(typeof text === 'string' ? JSON.parse(text) : text);
  if (!parsed.success) throw new Error(`Invalid ${origin}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The project's units file, read and checked once, when this module loads. */
export const UNITS_FILE: UnitsFile = parseUnitsFile(unitsData, 'infra/config/units.json');
