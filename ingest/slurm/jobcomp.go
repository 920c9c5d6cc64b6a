package slurm

import (
	"bytes"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"labcarbon/ingest"
)

// JobcompOptions say how to read a jobcomp/filetxt log.
type JobcompOptions struct {
	// Location is the time zone of the machine slurmctld ran on: the log's
	// times are its local time, with no zone. nil means UTC.
	Location *time.Location
	// Cluster names the cluster for lines without Cluster= (Slurm 17.02
	// and earlier) or with Cluster=unknown.
	Cluster string
}

// JobcompStats counts what a JobcompReader has read, for the run summary.
type JobcompStats struct {
	Lines      int // physical lines
	Jobs       int // usage records returned
	RowErrors  int // lines quarantined
	Duplicates int // requeued runs, replaced by their job's later line
}

// JobcompReader streams usage records out of a jobcomp/filetxt log, the
// file slurmctld writes one line to as each job ends (JobCompType=
// jobcomp/filetxt, JobCompLoc=...). It implements ingest.Reader.
//
// A jobcomp line says what a job was allocated, never what it used: its
// records have no CPU time (CPUTimeSec 0, so that the estimate assumes the
// allocation was used in full, as Green Algorithms does), no memory peak
// and no energy. Its Tres= is what the job requested, ProcCnt= the CPUs it
// was allocated. Running jobs are not in the log. A job Slurm requeued has
// a line for each run, and is returned once, as its last run (see
// requeueHold).
//
// A line that cannot be read comes back as an *ingest.RowError and reading
// goes on; only an input that is not a jobcomp log at all, or an I/O
// error, stops the reader.
type JobcompReader struct {
	file     string
	opts     JobcompOptions
	lr       lineReader
	first    []byte // the first line, read to check the input, to be read again
	line     jcLine
	requeued requeueHold // runs a later line of their job may replace

	cursor // the items read ahead, and the one Scan moved to
	err    error
	done   bool
	stats  JobcompStats
}

// NewJobcompReader checks that r begins with a jobcomp/filetxt line and
// returns a reader for its records. file names the input in records and
// errors. An empty input is a log of no jobs.
func NewJobcompReader(r io.Reader, file string, opts JobcompOptions) (*JobcompReader, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	jr := &JobcompReader{file: file, opts: opts, lr: newLineReader(r)}
	for {
		b, _, tooLong, err := jr.lr.next()
		if err == io.EOF {
			jr.done = true
			return jr, nil
		}
		if err != nil {
			jr.lr.close()
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if tooLong || !bytes.HasPrefix(b, []byte("JobId=")) || bytes.IndexByte(b, 0) >= 0 {
			jr.lr.close()
			return nil, fmt.Errorf("parse %s:%d: not a jobcomp/filetxt log: the first line does not begin with JobId=", file, jr.lr.n)
		}
		jr.first = bytes.Clone(b)
		return jr, nil
	}
}

// Close stops reading ahead, for a reader abandoned before the end of its
// input; it does not close the input.
func (r *JobcompReader) Close() error {
	r.lr.close()
	return nil
}

// Scan advances to the next record or bad row.
func (r *JobcompReader) Scan() bool {
	for !r.advance(&r.stats.Jobs, &r.stats.RowErrors) {
		if r.done || r.err != nil {
			return false
		}
		r.step()
	}
	return true
}

// step reads one line and queues what it gives; at the end of the input it
// queues the requeued runs no later line replaced.
func (r *JobcompReader) step() {
	b, line, tooLong, ok := r.next()
	switch {
	case !ok:
		if r.err == nil {
			r.queue = append(r.queue, r.requeued.release()...)
		}
	case tooLong:
		r.queue = append(r.queue, item{bad: r.rowError(line, string(b[:min(len(b), maxRaw+utf8.UTFMax)]), "", "line longer than 16 MiB")})
	case len(bytes.TrimSpace(b)) > 0:
		it := r.parse(string(b), line)
		if it.bad != nil {
			r.queue = append(r.queue, it)
			return
		}
		ready, replaced := r.requeued.take(&it.u, it)
		if replaced {
			r.stats.Duplicates++
		}
		if ready {
			r.queue = append(r.queue, it)
		}
	}
}

// next returns the next line and its number, the first line first.
func (r *JobcompReader) next() (b []byte, line int, tooLong, ok bool) {
	if r.first != nil {
		b, r.first = r.first, nil
		return b, r.lr.n, false, true
	}
	b, _, tooLong, err := r.lr.next()
	switch {
	case err == io.EOF:
		r.done = true
		return nil, 0, false, false
	case err != nil:
		r.err = fmt.Errorf("read %s:%d: %w", r.file, r.lr.n+1, err)
		return nil, 0, false, false
	}
	return b, r.lr.n, tooLong, true
}

// Err returns the I/O error that stopped Scan, or nil at the end of input.
func (r *JobcompReader) Err() error { return r.err }

// Format returns ingest.FormatJobcomp.
func (r *JobcompReader) Format() string { return ingest.FormatJobcomp }

// Stats returns what the reader has counted so far.
func (r *JobcompReader) Stats() JobcompStats {
	s := r.stats
	s.Lines = r.lr.n
	return s
}
