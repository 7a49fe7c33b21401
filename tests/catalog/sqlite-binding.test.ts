import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openForeignSqlite } from '../../src/formats/util/foreign-sqlite.js';
import { useSqliteBinding } from '../../src/util/sqlite-binding.js';
import { FIXTURES, tempDir } from '../helpers.js';

afterEach(() => useSqliteBinding(undefined));

describe('the native binding the catalog opened with', () => {
  // Inside Electron the default binding is built for Node and fails: a foreign mlflow.db must load
  // the catalog's. A binding that does not exist shows which file each open loads.
  it('is the one foreign databases load too', () => {
    const db = fs.readdirSync(path.join(FIXTURES, 'public/mlflow'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('mlflow.db'));
    expect(db).toBeDefined();
    const copy = path.join(tempDir(), 'mlflow.db');
    fs.copyFileSync(path.join(FIXTURES, 'public/mlflow', db!), copy);
    openForeignSqlite(copy).close();
    const missing = path.join(tempDir(), 'no-such-binding.node');
    useSqliteBinding(missing);
    expect(() => openForeignSqlite(copy)).toThrow(/no-such-binding\.node/);
  });
});
