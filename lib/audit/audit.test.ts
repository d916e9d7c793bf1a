import { describe, expect, it } from 'vitest';
import { diff } from './audit';

describe('audit diff', () => {
  it('names each changed leaf by its dotted path', () => {
    const before = { name: 'CRM', enabled: true, policies: { overlap: 'skip', minGapSeconds: 60 } };
    const after = { name: 'CRM', enabled: false, policies: { overlap: 'queue-one', minGapSeconds: 60 } };
    expect(diff(before, after)).toEqual([
      { path: 'enabled', before: true, after: false },
      { path: 'policies.overlap', before: 'skip', after: 'queue-one' },
    ]);
  });

  it('compares arrays of objects element by element, and reports added and removed ones', () => {
    const before = { schedules: [{ id: 'a', everySeconds: 60 }] };
    const after = { schedules: [{ id: 'a', everySeconds: 120 }, { id: 'b', cron: '0 6 * * *' }] };
    expect(diff(before, after)).toEqual([
      { path: 'schedules.0.everySeconds', before: 60, after: 120 },
      { path: 'schedules.1.cron', after: '0 6 * * *' },
      { path: 'schedules.1.id', after: 'b' },
    ]);
  });

  it('treats other arrays as whole values and dates by instant', () => {
    expect(diff({ secrets: ['token'] }, { secrets: ['token', 'password'] })).toEqual([{ path: 'secrets', before: ['token'], after: ['token', 'password'] }]);
    expect(diff({ at: new Date(0) }, { at: new Date(0) })).toEqual([]);
  });

  it('lists every field of a creation or a deletion', () => {
    expect(diff(undefined, { id: 'x', role: 'viewer' })).toEqual([
      { path: 'id', after: 'x' },
      { path: 'role', after: 'viewer' },
    ]);
    expect(diff({ id: 'x' }, undefined)).toEqual([{ path: 'id', before: 'x' }]);
  });
});
