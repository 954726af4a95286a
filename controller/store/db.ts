import sqlite3 from 'sqlite3';

/**
 * A small promise face on the `sqlite3` package. Rows come back as `unknown`: the caller
 * decodes them (zod), because the driver's own typings would let any shape through.
 */

export type SqlParam = string | number | null | Uint8Array;

export interface RunInfo {
  readonly changes: number;
  readonly lastID: number;
}

export interface Db {
  run(sql: string, params?: readonly SqlParam[]): Promise<RunInfo>;
  get(sql: string, params?: readonly SqlParam[]): Promise<unknown>;
  all(sql: string, params?: readonly SqlParam[]): Promise<unknown[]>;
  /** Several statements, no parameters (migrations, pragmas). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `readOnly`: a connection that can never write, not even the checkpoint SQLite runs when the last
 * connection closes (the start check of a file that may be damaged, store.ts).
 */
export function openDb(file: string, opts: { readonly readOnly?: boolean } = {}): Promise<Db> {
  const mode = opts.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file, mode | sqlite3.OPEN_FULLMUTEX, (err) => {
      if (err) reject(err);
      else resolve(wrap(raw));
    });
  });
}

function wrap(raw: sqlite3.Database): Db {
  return {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => {
        raw.run(sql, bind(params), function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ changes: this.changes, lastID: this.lastID });
        });
      }),
    get: (sql, params = []) =>
      new Promise((resolve, reject) => {
        raw.get(sql, bind(params), (err: Error | null, row: unknown) => {
          if (err) reject(err);
          else resolve(row);
        });
      }),
    all: (sql, params = []) =>
      new Promise((resolve, reject) => {
        raw.all(sql, bind(params), (err: Error | null, rows: unknown[]) => {
          if (err) reject(err);
          else resolve(rows);
        });
      }),
    exec: (sql) =>
      new Promise((resolve, reject) => {
        raw.exec(sql, (err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        raw.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}

/** sqlite3 binds only Buffers as BLOBs; wrap (not copy) other byte arrays. */
function bind(params: readonly SqlParam[]): (string | number | null | Buffer)[] {
  return params.map((p) =>
    p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p,
  );
}

/** The SQLite result code of a driver error ("SQLITE_CONSTRAINT", "SQLITE_BUSY", …), if any. */
export function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
