import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCESS_LEVELS, mayAccess, ROLES, type Access, type Role } from './roles.js';

test('who may use which access level', () => {
  const table: Record<Role, Access[]> = {
    owner: ['read', 'edit', 'privacy', 'owner'],
    editor: ['read', 'edit'],
    privacy_officer: ['read', 'privacy'],
    viewer: ['read'],
  };
  for (const role of ROLES) {
    for (const access of ACCESS_LEVELS) assert.equal(mayAccess(role, access), table[role].includes(access), `${role} ${access}`);
  }
});
