// The time zone list of the settings: every zone the browser knows, searchable by its name, its
// city in Ukrainian or English (Kyiv, Київ, Kiev) and its UTC offset.

/** Every IANA zone the browser knows (empty when it cannot say). */
export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/** Other names people search a zone by. */
const ALIASES: Record<string, string[]> = {
  'Europe/Kyiv': ['Київ', 'Kiev', 'Україна', 'Ukraine'],
  'Europe/Kiev': ['Київ', 'Kyiv', 'Україна', 'Ukraine'],
  'Europe/Warsaw': ['Варшава', 'Польща', 'Poland'],
  'Europe/London': ['Лондон', 'UK'],
  'Europe/Berlin': ['Берлін', 'Німеччина', 'Germany'],
  'Europe/Prague': ['Прага', 'Чехія', 'Czechia'],
  'Europe/Lisbon': ['Лісабон', 'Португалія', 'Portugal'],
  'Europe/Madrid': ['Мадрид', 'Іспанія', 'Spain'],
  'Europe/Rome': ['Рим', 'Італія', 'Italy'],
  'Europe/Paris': ['Париж', 'Франція', 'France'],
  'Europe/Vienna': ['Відень', 'Австрія', 'Austria'],
  'Europe/Bucharest': ['Бухарест', 'Румунія', 'Romania'],
  'Europe/Chisinau': ['Кишинів', 'Молдова', 'Moldova'],
  'America/New_York': ['Нью-Йорк', 'USA'],
  'America/Toronto': ['Торонто', 'Canada'],
  UTC: ['Гринвіч', 'GMT'],
};

/** "GMT+2" style offset of a zone now (empty when unknown). */
export function zoneOffset(zone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value.replace('GMT', 'UTC') ?? '';
  } catch {
    return '';
  }
}

/** "Europe/Kyiv (UTC+2)": the zone's name with its offset now. */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const offset = zoneOffset(zone, at);
  const name = zone.replace(/_/g, ' ');
  return offset ? `${name} (${offset === 'UTC' ? 'UTC+0' : offset})` : name;
}

const norm = (s: string) => s.toLocaleLowerCase().replace(/[_\s/-]+/g, ' ').trim();

/**
 * The zones matching a search (every word of it, anywhere in the zone's name, its aliases or its
 * offset); the `keep` zone (the current choice) is always in the list, first when it matches nothing.
 */
export function searchZones(zones: readonly string[], query: string, keep?: string, at: Date = new Date()): string[] {
  const words = norm(query).split(' ').filter(Boolean);
  const found = words.length
    ? zones.filter((z) => {
        const hay = norm([z, ...(ALIASES[z] ?? []), zoneLabel(z, at)].join(' '));
        return words.every((w) => hay.includes(w));
      })
    : zones.slice();
  if (keep && !found.includes(keep)) found.unshift(keep);
  return found;
}
