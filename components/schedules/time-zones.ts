/** Every IANA time zone the browser knows, UTC first; from Intl, so no list is shipped with the page. */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

const normalise = (text: string) => text.toLowerCase().replace(/[_/]+/g, ' ');

/** Zones whose name holds every word of the query ("new york", "berlin", "america/"). */
export function searchTimeZones(zones: string[], query: string, limit = 80): string[] {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return zones.slice(0, limit);
  return zones.filter((zone) => words.every((w) => normalise(zone).includes(w))).slice(0, limit);
}

const offsets = new Map<string, string>();

/** "GMT+1", "GMT-4:30" right now, for showing beside a zone's name. */
export function offsetOf(zone: string): string {
  const known = offsets.get(zone);
  if (known !== undefined) return known;
  let offset = '';
  try {
    offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    offset = '';
  }
  offsets.set(zone, offset);
  return offset;
}
