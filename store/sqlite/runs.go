package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// BeginRun records the start of a run, with status running and this
// program's version, and returns its id.
func (db *DB) BeginRun(ctx context.Context, command string, started time.Time) (int64, error) {
	if err := db.writable(); err != nil {
		return 0, fmt.Errorf("begin run %s: %w", command, err)
	}
	res, err := db.db.ExecContext(ctx,
		`INSERT INTO runs (started, command, version, status) VALUES (?, ?, ?, ?)`,
		started.Unix(), command, labcarbon.Version, "running")
	if err != nil {
		return 0, fmt.Errorf("begin run %s: %w", command, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("begin run %s: %w", command, err)
	}
	return id, nil
}

// FinishRun records how run.ID ended: Finished, Status, Jobs, Quarantined,
// Message and Factors. The other fields were recorded by BeginRun and the batches'
// Commit, and are left as they are.
func (db *DB) FinishRun(ctx context.Context, run store.Run) error {
	if err := db.writable(); err != nil {
		return fmt.Errorf("finish run %d: %w", run.ID, err)
	}
	res, err := db.db.ExecContext(ctx,
		`UPDATE runs SET finished = ?, status = ?, jobs = ?, quarantined = ?, message = ?, factors = ? WHERE id = ?`,
		unixOrNull(run.Finished), run.Status, int64(run.Jobs), int64(run.Quarantined), run.Message, run.Factors, run.ID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", run.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("finish run %d: %w", run.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("finish run %d: no such run", run.ID)
	}
	return nil
}

// Runs returns at most limit runs, newest first, each with its inputs in the
// order they were committed. A limit of 0 or less returns them all.
func (db *DB) Runs(ctx context.Context, limit int) ([]store.Run, error) {
	if limit <= 0 {
		limit = -1 // SQLite's "no limit"
	}
	rows, err := db.db.QueryContext(ctx,
		`SELECT id, started, finished, command, version, status, jobs, quarantined, message, factors
		FROM runs ORDER BY id DESC LIMIT ?`, int64(limit))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var runs []store.Run
	for rows.Next() {
		var (
			r        store.Run
			started  int64
			finished sql.NullInt64
		)
		err := rows.Scan(&r.ID, &started, &finished, &r.Command, &r.Version, &r.Status, &r.Jobs, &r.Quarantined, &r.Message, &r.Factors)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		r.Started, r.Finished = timeOf(started), nullTimeOf(finished)
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	if len(runs) == 0 {
		return nil, nil
	}
	if err := db.addInputs(ctx, runs); err != nil {
		return nil, err
	}
	return runs, nil
}

// addInputs fills in the inputs of runs, which are ordered by descending id:
// one query for all of them rather than one per run.
func (db *DB) addInputs(ctx context.Context, runs []store.Run) error {
	index := make(map[int64]int, len(runs))
	for i, r := range runs {
		index[r.ID] = i
	}
	rows, err := db.db.QueryContext(ctx,
		`SELECT run_id, name, sha256, format, jobs, bad FROM run_inputs
		WHERE run_id BETWEEN ? AND ? ORDER BY id`, runs[len(runs)-1].ID, runs[0].ID)
	if err != nil {
		return fmt.Errorf("list run inputs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			runID int64
			in    store.Input
		)
		if err := rows.Scan(&runID, &in.Name, &in.SHA256, &in.Format, &in.Jobs, &in.Bad); err != nil {
			return fmt.Errorf("list run inputs: %w", err)
		}
		r := &runs[index[runID]]
		r.Inputs = append(r.Inputs, in)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list run inputs: %w", err)
	}
	return nil
}

// Quarantined returns the rows quarantined by the latest ingest of each
// input (by name), ordered by file and line: ingesting a fixed file again
// supersedes the rows its earlier ingests rejected.
func (db *DB) Quarantined(ctx context.Context) ([]ingest.RowError, error) {
	rows, err := db.db.QueryContext(ctx,
		`SELECT file, line, field, reason, raw FROM quarantine
		WHERE input_id IN (SELECT max(id) FROM run_inputs GROUP BY name)
		ORDER BY file, line, id`)
	if err != nil {
		return nil, fmt.Errorf("list quarantined rows: %w", err)
	}
	defer rows.Close()
	var bad []ingest.RowError
	for rows.Next() {
		var e ingest.RowError
		if err := rows.Scan(&e.File, &e.Line, &e.Field, &e.Reason, &e.Raw); err != nil {
			return nil, fmt.Errorf("list quarantined rows: %w", err)
		}
		bad = append(bad, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list quarantined rows: %w", err)
	}
	return bad, nil
}
