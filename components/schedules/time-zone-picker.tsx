'use client';

import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { mutedText, textInput } from '@/components/ui/styles';
import { allTimeZones, offsetOf, searchTimeZones } from './time-zones';

interface Props {
  id: string;
  value: string;
  onChange(zone: string): void;
  /** aria attributes for an error shown elsewhere. */
  invalid?: { 'aria-invalid': true; 'aria-describedby': string } | object;
}

/** A searchable time-zone combobox: type part of a name, pick with the arrows and Enter, Escape keeps the old zone. */
export function TimeZonePicker({ id, value, onChange, invalid = {} }: Props) {
  const zones = useMemo(() => allTimeZones(), []);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = query !== null;
  const matches = useMemo(() => (open ? searchTimeZones(zones, query) : []), [open, query, zones]);
  const listId = `${id}-list`;
  useEffect(() => {
    if (open) document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [open, active, listId]);

  const choose = (zone: string) => {
    onChange(zone);
    setQuery(null);
  };
  const close = () => {
    const exact = zones.find((z) => z.toLowerCase() === query?.trim().toLowerCase());
    if (exact && exact !== value) onChange(exact);
    setQuery(null);
  };

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return setQuery('');
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (matches.length ? (a + step + matches.length) % matches.length : 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const zone = matches[active];
      if (zone) choose(zone);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setQuery(null);
    }
  }

  return (
    <div className="relative">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={query ?? value}
        placeholder="Search time zones"
        onFocus={(e) => {
          e.target.select();
          setQuery('');
          setActive(0);
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={close}
        onKeyDown={onKeyDown}
        className={`${textInput} w-full`}
        data-testid="timezone-input"
        {...invalid}
      />
      {open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Time zones"
          className="absolute z-30 mt-1 max-h-64 w-full overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {matches.length === 0 ? <li className={`px-3 py-2 ${mutedText}`}>No time zone matches “{query}”</li> : null}
          {matches.map((zone, i) => (
            <li
              key={zone}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(zone)}
              onMouseMove={() => setActive(i)}
              className={`flex cursor-pointer justify-between gap-3 px-3 py-1.5 ${i === active ? 'bg-indigo-50 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100' : ''} ${zone === value ? 'font-semibold' : ''}`}
            >
              <span className="truncate">{zone.replaceAll('_', ' ')}</span>
              <span className={`shrink-0 text-xs tabular-nums ${mutedText}`}>{offsetOf(zone)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
