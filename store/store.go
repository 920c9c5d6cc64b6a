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
	"iter"
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
	Factors     string // factor catalog version the run computed with; "" if it computed nothing
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
	// PutIntensity upserts hourly grid intensities on (zone, hour) in one
	// transaction, recording run runID as the writer of each hour it adds
	// or changes; an hour whose value and source are already stored is left
	// as it is, so importing a series twice changes nothing. If points
	// yields an error, or a point is invalid (no zone, an hour that is not
	// the beginning of one, a negative or non-finite value), nothing is
	// stored and that error is returned.
	PutIntensity(ctx context.Context, runID int64, points iter.Seq2[IntensityPoint, error]) (IntensityChanges, error)
	// Intensity returns the stored hours of zone that overlap [from, to),
	// ordered by hour; none when the store has no series for it.
	Intensity(ctx context.Context, zone string, from, to time.Time) ([]IntensityPoint, error)
	// Totals sums the jobs that ran in [from, to), each in proportion to
	// the part of its run time there, as reports count them, without
	// reading the jobs one by one: for the periods a report compares with.
	Totals(ctx context.Context, from, to time.Time) (Totals, error)
	Close() error
}

// Totals are a period's headline sums, counted as reports count them: a
// job in proportion to its run time in the period, a job that never ran
// in the period it was submitted.
type Totals struct {
	Jobs int
	// RunningAtEnd counts the jobs that were still running at the end of
	// the period: they count in the next period too, so a total over both
	// counts them once by taking them off.
	RunningAtEnd   int
	EnergyKWh      labcarbon.Range
	CO2eKg         labcarbon.Range
	EmbodiedCO2eKg labcarbon.Range
	Cost           float64
}

// Plus returns the sums over t's period and next, the period that follows
// it: the jobs running across the two are counted once.
func (t Totals) Plus(next Totals) Totals {
	return Totals{
		Jobs:           t.Jobs + next.Jobs - t.RunningAtEnd,
		RunningAtEnd:   next.RunningAtEnd,
		EnergyKWh:      t.EnergyKWh.Add(next.EnergyKWh),
		CO2eKg:         t.CO2eKg.Add(next.CO2eKg),
		EmbodiedCO2eKg: t.EmbodiedCO2eKg.Add(next.EmbodiedCO2eKg),
		Cost:           t.Cost + next.Cost,
	}
}

// IntensityPoint is a grid zone's carbon intensity over one hour, from an
// imported hourly series.
type IntensityPoint struct {
	Zone    string    // the factor catalog's zone id, such as GB or US-CAL-CISO
	Hour    time.Time // the beginning of the hour, UTC
	GPerKWh float64   // gCO2e/kWh
	// Source says where the figure came from (format, basis, file), for
	// the methodology appendix.
	Source string
}

// IntensityChanges counts what PutIntensity did with the hours it was given.
type IntensityChanges struct {
	Added     int // hours the store did not have
	Changed   int // hours stored before with another value or source
	Unchanged int // hours stored before exactly so
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
