import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/api/http';
import { userPatchSchema } from './manage';

const problems = (input: unknown) => {
  const parsed = userPatchSchema.safeParse(input);
  return parsed.success ? [] : fieldErrors(parsed.error);
};

describe('user patch', () => {
  it('accepts each change alone and together', () => {
    expect(problems({ role: 'operator' })).toEqual([]);
    expect(problems({ disabled: true })).toEqual([]);
    expect(problems({ password: 'twelve chars' })).toEqual([]);
    expect(problems({ name: ' Ana ', role: 'admin', disabled: false })).toEqual([]);
    expect(userPatchSchema.parse({ name: ' Ana ' })).toEqual({ name: 'Ana' });
  });

  it('names each bad field and its rule', () => {
    expect(problems({ role: 'root', password: 'short', disabled: 'no', name: '  ' })).toEqual(
      expect.arrayContaining([
        { path: 'role', message: 'must be one of viewer, operator, admin' },
        { path: 'password', message: 'must be at least 12 characters' },
        { path: 'disabled', message: 'must be true or false' },
        { path: 'name', message: 'must not be empty' },
      ]),
    );
  });

  it('refuses unknown fields (the email cannot be changed) and an empty patch', () => {
    expect(problems({ email: 'new@example.com' })).toContainEqual({ path: 'email', message: 'is not a known field' });
    expect(problems({})).toEqual([{ path: '(body)', message: 'must change at least one of name, role, disabled, password' }]);
  });
});
