// Package store defines what the pipeline needs from persistence; sqlite/
// implements it for the embedded default.
//
// Every write is idempotent: jobs are upserted on their natural key (cluster,
// raw job id, submit time), so ingesting the same file twice, overlapping
// sacct windows, or a job seen RUNNING and later COMPLETED leaves the totals
// exact. Each run is recorded so that a report can name the data behind it.
package store

import (
	"context"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

// Run is one pass of the pipeline as recorded in the run history.
type Run struct {
	ID          int64
	Started     time.Time
	Finished    time.Time // zero while running or after a crash
	Command     string    // run, ingest, demo, ...
	Version     string
	Status      string // running, ok, partial (rows quarantined), failed
	Inputs      []Input
	Jobs        int // records written
	Quarantined int
	Message     string // one line: the reason for failed, a summary otherwise
}

// Input is one file (or live sacct window) a run read.
type Input struct {
	Name   string
	SHA256 string
	Format string
	Jobs   int
	Bad    int
}

// Store is the persistence the pipeline needs.
type Store interface {
	// BeginRun records the start of a run and returns its id.
	BeginRun(ctx context.Context, command string, started time.Time) (int64, error)
	// FinishRun records how a run ended.
	FinishRun(ctx context.Context, run Run) error
	// BeginBatch starts writing one input in a single transaction: either all
	// of it is stored or none.
	BeginBatch(ctx context.Context, runID int64) (Batch, error)
	// Jobs calls fn for every stored job whose run time overlaps [from, to),
	// and jobs that never ran submitted in it, ordered by start time. The
	// Job is only valid during the call.
	Jobs(ctx context.Context, from, to time.Time, fn func(*labcarbon.Job) error) error
	// Quarantined returns the rows quarantined by the latest ingest of each
	// input (by name), so that fixing a file and ingesting it again clears
	// its rows, ordered by file and line.
	Quarantined(ctx context.Context) ([]ingest.RowError, error)
	// Runs returns the run history, newest first, at most limit runs.
	Runs(ctx context.Context, limit int) ([]Run, error)
	Close() error
}

// Batch is one input's writes inside one transaction. Records are streamed
// in, so memory does not grow with the input.
type Batch interface {
	// Put upserts a job on its natural key; the last write of a key wins.
	Put(job *labcarbon.Job) error
	// Quarantine records a row that could not be ingested.
	Quarantine(row *ingest.RowError) error
	// Commit records the input with the run and makes the batch durable.
	Commit(in Input) error
	// Rollback abandons the batch; the store is as it was before. It is a
	// no-op after Commit.
	Rollback() error
}
