/**
 * better-sqlite3 is built with SQLITE_USE_URI=0 but reads the SQLITE_USE_URI environment variable
 * once, when its native addon loads (on the first `new Database`). Importing this module before any
 * database is opened turns URI filenames on, so foreign databases can be opened `immutable=1`
 * (nothing created beside them). Plain paths never start with `file:`, so they are unaffected.
 */
if (process.env.SQLITE_USE_URI === undefined) process.env.SQLITE_USE_URI = '1';

export {};
