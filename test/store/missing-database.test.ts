// Issue 13 item 11: a missing PostgreSQL database is reported as such, naming it and DATABASE_URL.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';

const PG_URL = process.env.CONSENTRY_TEST_PG_URL;

if (PG_URL)
  it('a PostgreSQL database that does not exist is named in the error, with what to do', async () => {
    const url = new URL(PG_URL);
    url.pathname = '/consentry_does_not_exist_0';
    await assert.rejects(openStore(url.toString()), (e: Error) => {
      assert.match(e.message, /^the PostgreSQL database "consentry_does_not_exist_0" does not exist on 127\.0\.0\.1:5432: create it \(createdb consentry_does_not_exist_0\) or set DATABASE_URL to one that exists$/);
      return true;
    });
  });
