import type { RunSort, SavedView } from '../../api/contract.js';
import { badRequest } from '../../api/errors.js';
import type { Db } from '../db.js';

interface SavedViewRow {
  id: number;
  name: string;
  query: string;
  sort: string | null;
  columns: string;
  created_at: number;
}

const MAX_NAME = 200;

const toView = (r: SavedViewRow): SavedView => ({
  id: r.id,
  name: r.name,
  query: r.query,
  sort: r.sort ? (JSON.parse(r.sort) as RunSort) : null,
  columns: JSON.parse(r.columns) as string[],
  createdAt: r.created_at,
});

/** Every saved view, by name. */
export function listSavedViews(db: Db): SavedView[] {
  return (db.prepare('SELECT * FROM saved_views ORDER BY name COLLATE NOCASE, id').all() as SavedViewRow[]).map(toView);
}

function checkView(view: Omit<SavedView, 'id' | 'createdAt'>): { name: string; query: string; sort: string | null; columns: string } {
  const name = typeof view?.name === 'string' ? view.name.trim() : '';
  if (!name) throw badRequest('Give the view a name.');
  if (name.length > MAX_NAME) throw badRequest(`A view name has at most ${MAX_NAME} characters.`);
  if (view.query !== undefined && typeof view.query !== 'string') throw badRequest('A view query must be text.');
  const sort = view.sort ?? null;
  if (sort !== null && (typeof sort.column !== 'string' || !sort.column || (sort.direction !== 'asc' && sort.direction !== 'desc'))) {
    throw badRequest('A view sort needs a column and a direction ("asc" or "desc").');
  }
  const columns = view.columns ?? [];
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || !c)) {
    throw badRequest('View columns must be a list of column ids such as "params.lr" or "metrics.loss:min".');
  }
  return {
    name,
    query: (view.query ?? '').trim(),
    sort: sort && JSON.stringify({ column: sort.column, direction: sort.direction }),
    columns: JSON.stringify([...new Set(columns)]),
  };
}

/**
 * Saves a view under its name; a view of that name (in any case) is replaced, keeping its id and
 * creation time so whatever refers to it still does.
 */
export function saveView(db: Db, view: Omit<SavedView, 'id' | 'createdAt'>): SavedView {
  const v = checkView(view);
  const now = Date.now();
  const row = db
    .prepare(
      `INSERT INTO saved_views (name, query, sort, columns, created_at, updated_at)
       VALUES (@name, @query, @sort, @columns, @now, @now)
       ON CONFLICT(name) DO UPDATE SET name = excluded.name, query = excluded.query, sort = excluded.sort,
         columns = excluded.columns, updated_at = excluded.updated_at
       RETURNING *`,
    )
    .get({ ...v, now }) as SavedViewRow;
  return toView(row);
}

/** Deletes a saved view; false when there was none with that id. */
export function deleteView(db: Db, id: number): boolean {
  if (typeof id !== 'number' || !Number.isInteger(id)) throw badRequest('views.delete needs the numeric id of a saved view.');
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
}
