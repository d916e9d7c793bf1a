'use client';

import { useState, type FormEvent } from 'react';
import { auditActions, auditTargetTypes } from '@/lib/audit/schema';
import { fieldLabel, ghostButton, secondaryButton, textInput } from '@/components/ui/styles';
import type { AuditFilter } from './audit-filter';

/** Target type and action apply at once; actor and target id (typed) apply on Enter or "Apply". */
export function AuditFilters({ filter, onChange }: { filter: AuditFilter; onChange(filter: AuditFilter): void }) {
  const [actor, setActor] = useState(filter.actor ?? '');
  const [targetId, setTargetId] = useState(filter.targetId ?? '');
  const active = Object.values(filter).some(Boolean);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filter, actor: actor.trim() || undefined, targetId: targetId.trim() || undefined });
  };

  return (
    <form role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3" onSubmit={apply}>
      <div className="w-40">
        <label htmlFor="audit-target-type" className={fieldLabel}>
          Target
        </label>
        <select
          id="audit-target-type"
          className={`${textInput} w-full`}
          value={filter.targetType ?? ''}
          onChange={(e) => onChange({ ...filter, targetType: (e.target.value || undefined) as AuditFilter['targetType'] })}
          data-testid="audit-filter-target-type"
        >
          <option value="">Anything</option>
          {auditTargetTypes.map((type) => (
            <option key={type} value={type}>
              {type.charAt(0).toUpperCase() + type.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="w-52">
        <label htmlFor="audit-action" className={fieldLabel}>
          Action
        </label>
        <select
          id="audit-action"
          className={`${textInput} w-full`}
          value={filter.action ?? ''}
          onChange={(e) => onChange({ ...filter, action: e.target.value || undefined })}
          data-testid="audit-filter-action"
        >
          <option value="">Any action</option>
          {auditActions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      <div className="w-56">
        <label htmlFor="audit-actor" className={fieldLabel}>
          Who (email, token:name or cli:user)
        </label>
        <input id="audit-actor" className={`${textInput} w-full`} value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-filter-actor" />
      </div>
      <div className="w-44">
        <label htmlFor="audit-target-id" className={fieldLabel}>
          Target id
        </label>
        <input id="audit-target-id" className={`${textInput} w-full`} value={targetId} onChange={(e) => setTargetId(e.target.value)} data-testid="audit-filter-target-id" />
      </div>
      <button type="submit" className={secondaryButton} data-testid="audit-filter-apply">
        Apply
      </button>
      {active ? (
        <button
          type="button"
          className={ghostButton}
          onClick={() => {
            setActor('');
            setTargetId('');
            onChange({});
          }}
          data-testid="audit-filter-clear"
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
