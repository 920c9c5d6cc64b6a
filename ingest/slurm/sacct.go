package slurm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"labcarbon"
	"labcarbon/ingest"
)

// SacctOptions say how to read a sacct text file.
type SacctOptions struct {
	// Delimiter separates the fields. When empty it is taken from the
	// header (whatever separates the first two column names, so `|`, `^|^`
	// and `☃` all work unasked), or is "|" for a file without a header.
	Delimiter string
	// Columns names the columns of a file written with --noheader, in
	// order. When empty the first line must be sacct's header.
	Columns []string
	// Location is the time zone sacct ran in, since its timestamps carry
	// none; nil means UTC (run sacct with TZ=UTC to make that true).
	Location *time.Location
	// Cluster names the cluster for files without a Cluster column.
	Cluster string
}

// SacctStats counts what a SacctReader has read, for the run summary.
type SacctStats struct {
	Lines      int // physical lines, header included
	Jobs       int // usage records returned
	Steps      int // step lines folded into jobs
	RowErrors  int // rows quarantined
	Duplicates int // earlier records of a requeued job, replaced by the later
	Synthetic  int // jobs rebuilt from steps whose job line was cut off
}

// SacctReader streams usage records out of `sacct -p` or `sacct -P` text.
// It implements ingest.Reader; see the package comment for the steps.
type SacctReader struct {
	file  string
	opts  SacctOptions
	delim string
	lay   layout
	lr    lineReader

	header   string // header names without a trailing delimiter, to skip repeats in concatenated files
	trailing int8   // 1: -p (records end in the delimiter), 0: -P, -1: not known yet
	rec      record // the current record
	held     string // a record continueRecord read ahead, to be processed next
	heldLine int
	// cuts are where the line readRecord returned last is cut, when the
	// line reader found them; nil when the record is not that line as it
	// was read.
	cuts []int

	job jobAcc // the job being folded, if job.active
	// lostKey is the key of the last job that could not be read (its job
	// line quarantined or missing): its steps are quarantined with it, for
	// lostReason, instead of each looking for a job of its own.
	lostKey    string
	lostReason string
	// leading is true until the first job line: steps before it are the
	// tail of a job cut off by whoever split the file.
	leading bool

	// requeued holds runs of requeued jobs until a later record of the
	// same job replaces them; sacct --duplicates need not list them next
	// to each other.
	requeued requeueHold
	cursor   // the items read ahead, and the one Scan moved to
	err      error
	eof      bool
	stats    SacctStats
}

// cursor holds the items a reader has read ahead and the one its Scan
// moved to, and hands that out through Record, the same way for every
// reader of this package.
type cursor struct {
	queue []item // read ahead, from head on not yet returned
	head  int
	cur   item
}

// advance moves to the next item read ahead, counting it in jobs or
// rowErrors, and reports false, with the queue emptied for reuse, when
// there is none: the reader then reads further, or ends.
func (c *cursor) advance(jobs, rowErrors *int) bool {
	if c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
		return false
	}
	c.cur = c.queue[c.head]
	c.head++
	if c.cur.bad != nil {
		*rowErrors++
	} else {
		*jobs++
	}
	return true
}

// Record returns the current record or bad row. The Usage is reused by the
// next call to Scan.
func (c *cursor) Record() (*labcarbon.Usage, *ingest.RowError) {
	if c.cur.bad != nil {
		return nil, c.cur.bad
	}
	return &c.cur.u, nil
}

// item is one result waiting to be returned by Scan: a record or a bad row.
type item struct {
	u   labcarbon.Usage
	bad *ingest.RowError
}

// maxRaw is how much of a bad line a RowError keeps.
const maxRaw = 200

// NewSacctReader reads the header of a sacct text file and returns a reader
// for its records. file names the input in records and errors. It returns
// an error, having read no record, when the input is not sacct -p/-P output:
// binary, or a first line that is not a header naming at least a job id,
// the state and the run time, or empty (sacct prints its header even when
// no job matched). With opts.Columns the names must say as much, and an
// empty input is simply no jobs.
func NewSacctReader(r io.Reader, file string, opts SacctOptions) (*SacctReader, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	sr := &SacctReader{
		file:     file,
		opts:     opts,
		lr:       newLineReader(r),
		trailing: -1,
		leading:  true,
	}
	if err := sr.readHeader(); err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	if len(sr.delim) == 1 {
		sr.lr.delim = sr.delim[0] // the lines are cut as they are read ahead
	}
	return sr, nil
}

// Close stops reading ahead, for a reader abandoned before the end of its
// input; it does not close the input.
func (r *SacctReader) Close() error {
	r.lr.close()
	return nil
}

// readHeader reads the header line, or takes the columns from the options.
func (r *SacctReader) readHeader() error {
	if strings.ContainsAny(r.opts.Delimiter, "\r\n") {
		return fmt.Errorf("delimiter %q contains a line break", r.opts.Delimiter)
	}
	if len(r.opts.Columns) > 0 {
		r.delim = r.opts.Delimiter
		if r.delim == "" {
			r.delim = "|"
		}
		lay, err := newLayout(r.opts.Columns)
		if err != nil {
			return fmt.Errorf("columns option: %w", err)
		}
		r.lay = lay
		// Without a header there is nothing to check but the bytes; an
		// empty input is fine (sacct -n prints nothing when no job ran).
		head, err := r.lr.br.Peek(4096)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("read: %w", err)
		}
		if bytes.IndexByte(head, 0) >= 0 {
			return errors.New("binary data, not sacct text output")
		}
		// A file may have a header after all: it is recognised and
		// skipped rather than reported as a bad row.
		r.header = strings.Join(r.opts.Columns, r.delim)
		return nil
	}
	var line []byte
	for {
		b, tooLong, err := r.lr.nextDirect()
		if err == io.EOF {
			return errors.New("empty input: no sacct header line")
		}
		if err != nil {
			return fmt.Errorf("read header: %w", err)
		}
		if tooLong {
			return errors.New("first line is longer than 16 MiB: not sacct output")
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a BOM from an editor
		if len(bytes.TrimSpace(b)) > 0 {
			line = b
			break
		}
	}
	if bytes.IndexByte(line, 0) >= 0 || !utf8.Valid(line) {
		return errors.New("binary data, not sacct text output")
	}
	h := string(line)
	r.delim = r.opts.Delimiter
	if r.delim == "" {
		r.delim = detectDelimiter(h)
	}
	names := h
	r.trailing = 0
	if strings.HasSuffix(names, r.delim) {
		names, r.trailing = names[:len(names)-len(r.delim)], 1
	}
	r.header = names
	lay, err := newLayout(strings.Split(names, r.delim))
	if err != nil {
		return fmt.Errorf("not sacct -p/-P output: first line %q is not a header with JobID or JobIDRaw, State and Elapsed or ElapsedRaw (%v); for a --noheader file give the column list", clip(h), err)
	}
	r.lay = lay
	return nil
}

// Scan advances to the next record or bad row.
func (r *SacctReader) Scan() bool {
	for !r.advance(&r.stats.Jobs, &r.stats.RowErrors) {
		if r.eof || r.err != nil {
			return false
		}
		r.step()
	}
	return true
}

// Err returns the I/O error that stopped Scan, or nil at the end of input.
func (r *SacctReader) Err() error { return r.err }

// Format returns ingest.FormatSacct.
func (r *SacctReader) Format() string { return ingest.FormatSacct }

// Stats returns what the reader has counted so far.
func (r *SacctReader) Stats() SacctStats {
	s := r.stats
	s.Lines = r.lr.n
	return s
}

// step reads one record and queues what it completes; at the end of the
// input it flushes the job being folded.
func (r *SacctReader) step() {
	rec, line, owned, ok := r.readRecord()
	if !ok {
		// At a clean end the last job is complete; after an I/O error it
		// may lack steps, and the caller drops the input anyway.
		if r.err == nil {
			r.flush()
			r.queue = append(r.queue, r.requeued.release()...)
		}
		r.eof = true
		return
	}
	r.process(rec, line, owned)
}

// readRecord returns the next record and its first line number. In -p mode
// a record ends with the delimiter, so a line that does not, and lacks
// fields, continues on the next line: a newline inside a comment does not
// break the record (reportseff reads -p the same way).
//
// Unless owned is true, rec is a view of the read buffer (see viewString)
// and is valid only until the next read.
func (r *SacctReader) readRecord() (rec string, line int, owned, ok bool) {
	r.cuts = nil
	if r.held != "" {
		rec, r.held = r.held, ""
		return rec, r.heldLine, true, true
	}
	for {
		b, cuts, tooLong, err := r.lr.next()
		if err != nil {
			if err != io.EOF {
				r.err = fmt.Errorf("read %s:%d: %w", r.file, r.lr.n+1, err)
			}
			return "", 0, false, false
		}
		line := r.lr.n
		if tooLong {
			r.badRow(line, string(b[:maxRaw+utf8.UTFMax]), "", "line longer than 16 MiB")
			continue
		}
		if len(b) == 0 {
			continue // sacct prints no blank lines; concatenation may
		}
		if r.trailing == 1 && !bytes.HasSuffix(b, []byte(r.delim)) {
			return r.continueRecord(string(b)), line, true, true
		}
		r.cuts = cuts
		return viewString(b), line, false, true
	}
}

// viewString returns b as a string without copying it. Most lines are steps,
// which only contribute numbers to their job, so copying each line into a
// string of its own would be an allocation per line for nothing. The view
// is only valid until the next read: process copies a record before
// keeping any part of it, and badRow copies what it quarantines.
func viewString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// continueRecord joins the following lines to a -p record cut by a newline
// inside a value, while the record has too few fields to be complete and
// the next line does not bring too many. It gives up after a few lines,
// leaving the row to the field-count check.
func (r *SacctReader) continueRecord(rec string) string {
	const maxJoin = 16
	for n := 0; n < maxJoin && strings.Count(rec, r.delim) < len(r.lay.names); n++ {
		b, _, tooLong, err := r.lr.next()
		if err != nil {
			if err != io.EOF {
				r.err = fmt.Errorf("read %s:%d: %w", r.file, r.lr.n+1, err)
			}
			break
		}
		if tooLong || len(rec)+len(b) > maxRecord {
			r.badRow(r.lr.n, string(b[:min(len(b), maxRaw+utf8.UTFMax)]), "", "line longer than 16 MiB")
			break
		}
		if v := viewString(b); r.isHeader(v) || strings.Count(rec, r.delim)+strings.Count(v, r.delim) > len(r.lay.names) {
			// Too many fields to be the rest of this record: the short
			// line was cut, not continued. Read the next line on its
			// own rather than swallow it.
			r.held, r.heldLine = string(b), r.lr.n
			break
		}
		rec += "\n" + string(b)
		if strings.HasSuffix(rec, r.delim) {
			break
		}
	}
	return rec
}

// split cuts rec into fields, dropping the trailing delimiter of -p
// output. For a file without a header, the first record tells whether it
// is -p.
func (r *SacctReader) split(rec string) {
	if r.trailing == -1 {
		r.trailing = 0
		if strings.HasSuffix(rec, r.delim) && strings.Count(rec, r.delim) == len(r.lay.names) {
			r.trailing = 1
		}
	}
	cuts := r.cuts
	if r.trailing == 1 && strings.HasSuffix(rec, r.delim) {
		rec = rec[:len(rec)-len(r.delim)]
		if len(cuts) > 0 {
			cuts = cuts[:len(cuts)-1] // the trailing delimiter's
		}
	}
	if cuts != nil && (len(cuts) == 0 || cuts[len(cuts)-1] < len(rec)) {
		r.rec.setCuts(rec, cuts)
		return
	}
	r.rec.split(rec, r.delim)
}

// isHeader reports whether rec repeats the header, as in files made by
// appending several sacct runs to one log.
func (r *SacctReader) isHeader(rec string) bool {
	rec = strings.TrimSuffix(rec, r.delim)
	return len(rec) == len(r.header) && strings.EqualFold(rec, r.header)
}

// repairFields makes a record with the wrong number of fields fit the
// header, or says why it cannot.
func (r *SacctReader) repairFields() string {
	n, want := r.rec.n(), len(r.lay.names)
	if n < want {
		return fmt.Sprintf("%d fields, the header has %d: a line break inside a value, or a cut line", n, want)
	}
	if r.lay.repair < 0 {
		return fmt.Sprintf("%d fields, the header has %d: the delimiter %q occurs inside a value, and with free-text columns not last (or several) it cannot be told which; ask sacct for free-text columns last, or use another --delimiter", n, want, r.delim)
	}
	// The one free-text column is last: everything from it on is its value.
	r.rec.joinTail(r.lay.repair)
	return ""
}

// get returns the value of column c in the current record ("" if absent).
func (r *SacctReader) get(c column) string {
	if i := r.lay.idx[c]; i >= 0 {
		return r.rec.field(i)
	}
	return ""
}

// badRow queues a quarantined row.
func (r *SacctReader) badRow(line int, raw, field, reason string) {
	r.queue = append(r.queue, item{bad: &ingest.RowError{
		File:   r.file,
		Line:   line,
		Field:  field,
		Reason: reason,
		Raw:    strings.Clone(truncateUTF8(raw, maxRaw)), // raw may be a view
	}})
}

// emit queues a finished record, or holds it back if it is the run of a
// requeued job, which a later record of the job may replace.
func (r *SacctReader) emit(u *labcarbon.Usage) {
	it := item{u: *u}
	ready, replaced := r.requeued.take(u, it)
	if replaced {
		r.stats.Duplicates++
	}
	if ready {
		r.queue = append(r.queue, it)
	}
}
