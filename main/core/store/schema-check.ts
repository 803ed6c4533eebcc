import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';

/** The shape of a schema: one line per table, column and index, so two schemas compare as sets. */
export type SchemaShape = Map<string, string>;

/** Our table names at any version: how a Balcony file that lost its user_version is told from another program's. */
export function knownTableNames(): Set<string> {
  return new Set([...expectedShape(Infinity).keys()].filter((k) => k.startsWith('table ')).map((k) => k.slice(6)));
}

/**
 * What the migrations up to `version` leave in the file but `db` lacks or
 * has differently ("table outbox is missing"), or undefined when it is all
 * there. A user_version alone says which steps ran, not that their tables
 * survived: a file whose tables were dropped or altered by hand, or by
 * damage, would otherwise fail every command with "no such table".
 * Extra tables and columns are tolerated.
 */
export function schemaDamage(db: Database.Database, version: number): string | undefined {
  const found = shapeOf(db);
  const problems: string[] = [];
  const missingTables = new Set<string>();
  for (const [key, expected] of expectedShape(version)) {
    const actual = found.get(key);
    // A missing table's columns and indexes go without saying.
    const table = key.startsWith('table ')
      ? key.slice(6)
      : (/^column ([^.]+)\./.exec(key)?.[1] ?? /^(\w+)\(/.exec(expected)?.[1]);
    if (table !== undefined && missingTables.has(table)) continue;
    if (actual === undefined) {
      problems.push(`${key} is missing`);
      if (key.startsWith('table ')) missingTables.add(key.slice(6));
    } else if (actual !== expected) problems.push(`${key} differs (${actual} instead of ${expected})`);
  }
  return problems.length === 0 ? undefined : `schema damaged: ${problems.slice(0, 3).join('; ')}`;
}

/** Names of the tables in `db` outside SQLite's own. */
export function userTables(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

const expectedByVersion = new Map<number, SchemaShape>();

/** The schema the migrations up to `version` create, built once per version in memory. */
function expectedShape(version: number): SchemaShape {
  let shape = expectedByVersion.get(version);
  if (!shape) {
    const mem = new Database(':memory:');
    try {
      for (const m of MIGRATIONS) if (m.version <= version) m.up(mem);
      shape = shapeOf(mem);
    } finally {
      mem.close();
    }
    expectedByVersion.set(version, shape);
  }
  return shape;
}

interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface IndexRow {
  name: string;
  unique: number;
}

function shapeOf(db: Database.Database): SchemaShape {
  const shape: SchemaShape = new Map();
  const withoutRowid = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").pluck();
  const columns = db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)');
  const indexes = db.prepare('SELECT name, "unique" FROM pragma_index_list(?)');
  const indexColumns = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck();
  for (const table of userTables(db)) {
    shape.set(`table ${table}`, withoutRowid.get(table) === 1 ? 'without rowid' : 'rowid');
    for (const c of columns.all(table) as ColumnRow[]) {
      shape.set(`column ${table}.${c.name}`, `${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
    }
    for (const i of indexes.all(table) as IndexRow[]) {
      // Automatic indexes are named by position; key them by their columns instead.
      const cols = (indexColumns.all(i.name) as string[]).join(',');
      const key = i.name.startsWith('sqlite_autoindex_') ? `index on ${table}(${cols})` : `index ${i.name}`;
      shape.set(key, `${table}(${cols}) unique=${i.unique}`);
    }
  }
  return shape;
}
