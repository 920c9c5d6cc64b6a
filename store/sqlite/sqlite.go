// Package sqlite is the embedded store: one SQLite file, through the pure-Go
// driver modernc.org/sqlite, that implements store.Store for a lab that runs
// labcarbon on one machine.
//
// Open prepares a store for writing in three steps:
//
//  1. It takes the writer lock, an flock on <path>.lock, so that two
//     labcarbon runs never write at once; the second one fails with ErrLocked
//     instead of interleaving its batches with the first.
//  2. It opens the file with the same settings on every connection: WAL,
//     foreign keys, a busy timeout (see dsn for why).
//  3. It applies the embedded migrations (migration/NNNN_name.sql) that the
//     migrations table does not yet record, in order, each in its own
//     transaction.
//
// OpenReadOnly skips the lock and the migrations, for commands that only read
// (report, export, runs), so that they can run while a writer holds the lock.
//
// Times are stored as integer unix seconds (UTC): sub-second precision is
// dropped, which costs nothing since Slurm records whole seconds. Where a
// time may be unknown, a zero time.Time is NULL; in NOT NULL columns (the
// submit time, part of the natural key) it is stored as its own unix time,
// -62135596800 (0001-01-01), which converts back to exactly time.Time{}.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"labcarbon/store"
)

// ErrLocked is returned, wrapped with the holder's pid, by Open when another
// run holds the writer lock.
var ErrLocked = errors.New("another labcarbon run holds the store")

// errReadOnly is returned by the writing methods of a DB from OpenReadOnly.
var errReadOnly = errors.New("store opened read-only")

//go:embed migration/*.sql
var migrations embed.FS

// DB is a labcarbon store in one SQLite file. It is safe for concurrent use.
type DB struct {
	db       *sql.DB
	path     string
	readOnly bool
	lock     *os.File // the writer lock; nil when read-only or closed
}

var _ store.Store = (*DB)(nil)

// Open opens the store at path for reading and writing, creating the file if
// it does not exist and bringing its schema up to date. It fails with an
// error wrapping ErrLocked if another run has the store open for writing.
// The directory must exist.
func Open(ctx context.Context, path string) (*DB, error) {
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := create(ctx, path); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s: %w", path, err), lock.Close())
	}
	db, err := open(ctx, path, false)
	if err != nil {
		return nil, errors.Join(err, lock.Close())
	}
	db.lock = lock
	if err := db.migrate(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s: %w", path, err), db.Close())
	}
	return db, nil
}

// OpenReadOnly opens an existing store for reading only. It takes no lock, so
// it works while a run is writing (WAL lets readers and a writer proceed
// together); it sees each batch whole or not at all. It fails if the file
// does not exist or its schema is older than this program's, since only a
// writer may migrate it.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	// SQLite's own error for a missing file is "unable to open database
	// file"; os.Stat says which file and lets callers test for fs.ErrNotExist.
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open store %s read-only: %w", path, err)
	}
	db, err := open(ctx, path, true)
	if err != nil {
		return nil, err
	}
	if err := db.checkMigrated(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open store %s read-only: %w", path, err), db.Close())
	}
	return db, nil
}

// open opens the database and makes the first connection, so that a file
// that is not a database is reported now and not at the first query.
func open(ctx context.Context, path string, readOnly bool) (*DB, error) {
	sqldb, err := sql.Open("sqlite", dsn(path, readOnly))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		var serr *sqlite.Error
		if errors.As(err, &serr) && serr.Code()&0xff == sqlite3.SQLITE_NOTADB {
			return nil, fmt.Errorf("open store %s: the file is not a SQLite database: %w", path, err)
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &DB{db: sqldb, path: path, readOnly: readOnly}, nil
}

// pageSize is the page size of a new store. A million-job store is half a
// gigabyte that ingest writes twice (to the WAL, then to the file at the
// checkpoint) and a report reads once, and with SQLite's default 4 KiB
// pages most of that cost is the system calls, one per page: with 64 KiB
// pages a million jobs ingest in a fifth less time, in less memory, for a
// file 8% larger. The page size is fixed when a file is created, so stores
// created before keep theirs.
const pageSize = 65536

// create makes a new, empty store file with pageSize pages, if there is no
// file at path yet (or an empty one); an existing store is left as it is.
// The page size must be set before anything is written, and the driver
// applies the DSN's pragmas in alphabetical order, journal_mode before
// page_size, so a separate connection sets it first.
func create(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err == nil && st.Size() > 0 || err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil // there is a store, or open will say why not
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	// Switching to WAL writes the file's header, with the page size.
	_, err = db.ExecContext(ctx, "PRAGMA journal_mode = WAL")
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	return nil
}

// dsn returns the data source name that opens path with the settings every
// connection of the pool needs; the driver applies them to each new
// connection, since SQLite keeps most of them per connection.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	// Wait for a lock rather than fail with SQLITE_BUSY at once: the writer
	// lock keeps other labcarbon writers out, but readers and the WAL
	// checkpoint still take SQLite's locks for short moments.
	q.Add("_pragma", "busy_timeout(10000)")
	// SQLite leaves foreign keys off for compatibility; with them on, a row
	// written for a run that does not exist fails instead of becoming an
	// orphan no report can explain.
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		// SQLite's own URI parameter: the connection cannot write, and a
		// missing file is an error, not a new empty store.
		q.Set("mode", "ro")
	} else {
		// WAL lets report and export read while a run writes, and costs one
		// sequential append per commit instead of a rollback journal.
		q.Add("_pragma", "journal_mode(WAL)")
		// Under WAL, NORMAL syncs at checkpoints rather than at every
		// commit, which would otherwise bound how fast batches commit. A
		// power cut may lose the last batches committed, with the run
		// history that names them, but never corrupts the file or leaves
		// half a batch; since every write is an idempotent upsert,
		// ingesting those inputs again (the nightly overlap window does it
		// by itself) restores them exactly.
		q.Add("_pragma", "synchronous(NORMAL)")
		// A large batch grows the WAL to its own size; truncate it after
		// each checkpoint so the file does not keep that size on disk.
		q.Add("_pragma", "journal_size_limit(67108864)")
		// An upsert keeps a statement journal so that it can be undone
		// alone; in memory rather than in a temporary file it costs a
		// third less per job.
		q.Add("_pragma", "temp_store(MEMORY)")
		// Transactions take the write lock when they begin, so a batch can
		// never fail halfway because another connection wrote first.
		q.Set("_txlock", "immediate")
		// A batch of a million jobs touches far more pages than the default
		// 2 MiB cache holds, so SQLite would write pages out to the WAL in
		// mid-transaction and read them back as the indexes grow. 16 MiB
		// keeps the indexes' working set in memory: a million jobs ingest
		// in an eighth less time, and again (as updates) in a fifth less.
		// More gains nothing measurable and costs twice its size in
		// resident memory; the ceiling is the same whatever the input.
		q.Add("_pragma", "cache_size(-16384)")
	}
	// The file: form is needed for mode=ro; escape what a URI would
	// otherwise read as its own syntax.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Close closes the store and then releases the writer lock, in that order so
// that the next writer finds the last checkpoint done.
func (db *DB) Close() error {
	err := db.db.Close()
	if db.lock != nil {
		// Closing the descriptor releases the flock.
		err = errors.Join(err, db.lock.Close())
		db.lock = nil
	}
	if err != nil {
		return fmt.Errorf("close store %s: %w", db.path, err)
	}
	return nil
}

// writable returns an error if db was opened read-only, so that a writing
// method fails with a clear message rather than SQLite's "attempt to write a
// readonly database".
func (db *DB) writable() error {
	if db.readOnly {
		return fmt.Errorf("%s: %w", db.path, errReadOnly)
	}
	return nil
}

// migrationNames returns the names of the embedded migrations in the order
// they apply: by name, which starts with a zero-padded number.
func migrationNames() []string {
	entries, err := fs.ReadDir(migrations, "migration")
	if err != nil {
		panic(err) // embedded at build time, so always there
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name() // fs.ReadDir sorts by name
	}
	return names
}

// migrate applies the migrations the store has not recorded yet.
func (db *DB) migrate(ctx context.Context) error {
	const create = `CREATE TABLE IF NOT EXISTS migrations (
		name    TEXT PRIMARY KEY,
		applied INTEGER NOT NULL
	) STRICT`
	if _, err := db.db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, name := range migrationNames() {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// migrateFile applies one migration unless it is recorded as applied. The
// script and its record commit together, so a failed migration leaves no
// trace and is tried again on the next Open.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var applied bool
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = ?)`, name).Scan(&applied)
	if err != nil || applied {
		return err
	}
	script, err := fs.ReadFile(migrations, "migration/"+name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied) VALUES (?, ?)`, name, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// checkMigrated returns an error unless every embedded migration has been
// applied. Migrations are only ever added, so counting them is enough.
func (db *DB) checkMigrated(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n); err != nil {
		return fmt.Errorf("not a labcarbon store: %w", err)
	}
	if want := len(migrationNames()); n < want {
		return fmt.Errorf("schema is older than this labcarbon (%d of %d migrations applied); a command that writes (run, ingest) upgrades it", n, want)
	}
	return nil
}

// unixOrNull encodes t for a nullable column: the zero time is NULL.
func unixOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// timeOf decodes a NOT NULL time column, written as t.Unix().
func timeOf(sec int64) time.Time {
	return time.Unix(sec, 0).UTC()
}

// nullTimeOf decodes a column written by unixOrNull.
func nullTimeOf(sec sql.NullInt64) time.Time {
	if !sec.Valid {
		return time.Time{}
	}
	return time.Unix(sec.Int64, 0).UTC()
}
