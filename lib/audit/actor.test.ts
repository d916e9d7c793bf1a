import { describe, expect, it } from 'vitest';
import { auditActorLabel, cliActor } from './actor';

describe('audit actors', () => {
  it('names the command line by the OS user that ran it', () => {
    expect(auditActorLabel(cliActor('ana'))).toBe('cli:ana');
  });

  it('keeps odd OS user names readable and bounded', () => {
    expect(cliActor('  ').id).toBe('unknown');
    expect(cliActor('DOMAIN\\ana smith').id).toBe('DOMAIN_ana_smith');
    expect(cliActor('x'.repeat(100)).id).toHaveLength(64);
  });

  it('names users and tokens as the rest of Syncdeck does', () => {
    expect(auditActorLabel({ kind: 'user', id: '1', email: 'ops@example.com', name: 'Ops', role: 'operator' })).toBe('ops@example.com');
    expect(auditActorLabel({ kind: 'token', id: '2', name: 'wall', role: 'display' })).toBe('token:wall');
  });
});
