/*
 * How the ES-backed sLS 3.x indexes a record (esnet/simple-lookup-service etc/mapping.json plus ES
 * dynamic mapping): a few keys are `keyword` (exact, case-sensitive), `_expiresAsTimestamp` is a
 * long, `expires` is detected as a date, and every other string becomes `text` (standard analyzer:
 * lower-cased word tokens) with a `.keyword` subfield (exact, ignore_above 256).
 */

export const KEYWORD_FIELDS: ReadonlySet<string> = new Set([
  'client-uuid',
  'type',
  'state',
  'uri',
  'host-net-interfaces',
  'host-name',
  'interface-addresses',
  'person-emails',
]);
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['_expiresAsTimestamp']);
export const DATE_FIELDS: ReadonlySet<string> = new Set(['expires']);
/** Dynamic mapping's keyword subfield skips longer strings. */
export const IGNORE_ABOVE = 256;

export type FieldKind = 'keyword' | 'text' | 'subkeyword' | 'number' | 'date' | 'id' | 'missing';

export interface Doc {
  index: string;
  id: string;
  source: Record<string, unknown>;
  /** Token cache per text field. */
  tokens?: Map<string, string[]>;
}

export function fieldKind(field: string): FieldKind {
  if (field === '_id') return 'id';
  if (field.endsWith('.keyword')) {
    const base = field.slice(0, -'.keyword'.length);
    return KEYWORD_FIELDS.has(base) || NUMERIC_FIELDS.has(base) || DATE_FIELDS.has(base) ? 'missing' : 'subkeyword';
  }
  if (KEYWORD_FIELDS.has(field)) return 'keyword';
  if (NUMERIC_FIELDS.has(field)) return 'number';
  if (DATE_FIELDS.has(field)) return 'date';
  return 'text';
}

function baseField(field: string): string {
  return field.endsWith('.keyword') ? field.slice(0, -'.keyword'.length) : field;
}

/** The raw values of a field (arrays flattened; non-scalars ignored, as ES would reject or skip them). */
export function rawValues(doc: Doc, field: string): (string | number | boolean)[] {
  if (field === '_id') return [doc.id];
  // A broken LS may hold things that are not records at all: they have no fields.
  if (typeof doc.source !== 'object' || doc.source === null || Array.isArray(doc.source)) return [];
  const value = doc.source[baseField(field)];
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((v): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
}

/**
 * Approximates the standard tokenizer (UAX #29 word boundaries) plus lowercase: letters, digits and
 * "_" form words; "." ":" and "'" join letters/digits on both sides (ps.es.net and 10.0.0.1 stay
 * one token); everything else ("-", "/", spaces) splits.
 */
export function analyze(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_.:']+/u)
    .map((t) => t.replace(/^[.:']+|[.:']+$/g, ''))
    .filter((t) => t !== '');
}

/** What a term-level query compares against: tokens for text, whole values for keyword-like fields. */
export function indexedTerms(doc: Doc, field: string): string[] {
  const kind = fieldKind(field);
  const values = rawValues(doc, field);
  switch (kind) {
    case 'text': {
      doc.tokens ??= new Map();
      let tokens = doc.tokens.get(field);
      if (!tokens) {
        tokens = values.flatMap((v) => analyze(String(v)));
        doc.tokens.set(field, tokens);
      }
      return tokens;
    }
    case 'subkeyword':
      return values.map(String).filter((v) => v.length <= IGNORE_ABOVE);
    case 'keyword':
    case 'id':
      return values.map(String);
    case 'number':
    case 'date':
      return values.map(String);
    default:
      return [];
  }
}

export function numericValue(value: unknown, kind: FieldKind, now: number): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : null;
  if (value === 'now') return now;
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Lucene regexp (always anchored) to a JS RegExp; throws on syntax JS cannot take either. */
export function luceneRegexp(pattern: string): RegExp {
  if (/^[*+?{]/.test(pattern)) throw new Error(`invalid regexp: dangling operator at the start of [${pattern}]`);
  return new RegExp(`^(?:${pattern})$`, 'u');
}
