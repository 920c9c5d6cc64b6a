package slurm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"labcarbon/ingest"
)

// JSONOptions say how to read sacct --json output.
type JSONOptions struct {
	// Cluster names the cluster of jobs whose record has none. sacct
	// writes a cluster for every job, so this matters only for files
	// edited by hand.
	Cluster string
}

// JSONStats counts what a JSONReader has read, for the run summary.
type JSONStats struct {
	Jobs       int // usage records returned
	Steps      int // steps folded into jobs
	RowErrors  int // jobs quarantined
	Duplicates int // requeued runs, replaced by their job's later record
	// Plugin and Release say what wrote the JSON, as its "meta" tells:
	// openapi/dbv0.0.38 or data_parser/v0.0.40, and 22.05.8.
	Plugin  string
	Release string
}

// JSONReader streams usage records out of sacct --json output (Slurm 21.08
// and later, openapi/dbv0.0.37 to data_parser/v0.0.44 and the shapes in
// between). It implements ingest.Reader.
//
// It walks the top-level object with the decoder's token API to the "jobs"
// array and decodes one job object at a time, steps included, so memory is
// bounded by the largest job, not by the number of jobs. Each job is read
// as the text reader reads a job line and its steps (see jobAcc): the same
// job gives the same record in both formats. The field types accept every
// version's shape of a value (a plain number or {"set", "infinite",
// "number"}, a state as a string or a list), so no version switch is
// needed; only the one Slurm bug that cannot be seen in a job itself, the
// eligible time written as the start time, is taken from "meta".
//
// A job requeued by Slurm is returned once, as its last run (see
// requeueHold). A job object that cannot be read comes back as an
// *ingest.RowError and reading goes on; JSON that is not well formed, or
// errors that sacct reported in the output, stop the reader.
type JSONReader struct {
	file  string
	opts  JSONOptions
	lines *lineIndex
	dec   *json.Decoder
	at    jsonPos
	// startIsEligible is set when "meta" names a Slurm release that writes
	// a job's eligible time as its time.start.
	startIsEligible bool

	job      jsonJob     // the job being decoded
	acc      jobAcc      // and folded
	requeued requeueHold // runs a later record of their job may replace

	cursor // the items read ahead, and the one Scan moved to
	err    error
	stats  JSONStats
}

// jsonPos is where in the top-level structure the decoder is.
type jsonPos uint8

const (
	posObject jsonPos = iota // inside a top-level object, between keys
	posJobs                  // inside its "jobs" array
	posAfter                 // after a top-level object
	posEnd                   // at the end of the input
)

// NewJSONReader reads sacct --json output up to its "jobs" array and
// returns a reader for the jobs. file names the input in records and
// errors. It returns an error, having read no job, when the input is not
// a JSON object with a "jobs" array, or when sacct wrote errors before it.
// Several objects one after the other (sacct runs appended to one file)
// are read in turn.
func NewJSONReader(r io.Reader, file string, opts JSONOptions) (*JSONReader, error) {
	jr := &JSONReader{file: file, opts: opts, lines: &lineIndex{r: r}}
	jr.dec = json.NewDecoder(jr.lines)
	tok, err := jr.dec.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("parse %s: empty input: not sacct --json output", file)
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: not sacct --json output: %w", file, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("parse %s: not sacct --json output: the input is %s, not an object with a \"jobs\" array", file, describeToken(tok))
	}
	found, err := jr.toJobs()
	if err != nil {
		return nil, jr.wrap(err)
	}
	if !found {
		return nil, fmt.Errorf("parse %s: not sacct --json output: the top-level object has no \"jobs\" array", file)
	}
	jr.at = posJobs
	return jr, nil
}

// Scan advances to the next record or bad row.
func (r *JSONReader) Scan() bool {
	for !r.advance(&r.stats.Jobs, &r.stats.RowErrors) {
		if r.at == posEnd || r.err != nil {
			return false
		}
		r.step()
	}
	return true
}

// Err returns the error that stopped Scan, or nil at the end of input.
func (r *JSONReader) Err() error { return r.err }

// Format returns ingest.FormatSacctJSON.
func (r *JSONReader) Format() string { return ingest.FormatSacctJSON }

// Stats returns what the reader has counted so far.
func (r *JSONReader) Stats() JSONStats { return r.stats }

// step reads one job, or moves on through the top-level structure.
func (r *JSONReader) step() {
	switch r.at {
	case posJobs:
		if r.dec.More() {
			r.readJob()
			return
		}
		if _, err := r.dec.Token(); err != nil { // the closing ]
			r.fail(err)
			return
		}
		r.at = posObject
	case posObject:
		found, err := r.toJobs()
		switch {
		case err != nil:
			r.fail(err)
		case found:
			r.at = posJobs
		default:
			r.at = posAfter
		}
	case posAfter:
		tok, err := r.dec.Token()
		switch {
		case err == io.EOF:
			r.queue = append(r.queue, r.requeued.release()...)
			r.at = posEnd
		case err != nil:
			r.fail(err)
		case tok != json.Delim('{'):
			r.fail(fmt.Errorf("%s after the end of the JSON object: want nothing, or another sacct --json object", describeToken(tok)))
		default:
			r.at = posObject
		}
	}
}

// toJobs walks the keys of the current top-level object to its "jobs"
// array and opens it. On the way it reads "meta" for what wrote the JSON,
// stops at errors sacct reported, and skips anything else. It returns
// false at the end of the object.
func (r *JSONReader) toJobs() (bool, error) {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return false, err
		}
		key, ok := tok.(string)
		if !ok {
			return false, nil // the closing }: Token checks the syntax
		}
		switch key {
		case "jobs":
			tok, err := r.dec.Token()
			if err != nil {
				return false, err
			}
			if tok != json.Delim('[') {
				return false, fmt.Errorf("\"jobs\" is %s, not an array: not sacct --json output", describeToken(tok))
			}
			return true, nil
		case "meta":
			var m jsonMeta
			if err := r.dec.Decode(&m); err != nil && !isTypeError(err) {
				return false, err
			}
			r.setMeta(&m)
		case "errors":
			var errs []json.RawMessage
			if err := r.dec.Decode(&errs); err != nil && !isTypeError(err) {
				return false, err
			}
			if len(errs) > 0 {
				return false, fmt.Errorf("sacct reported %d error(s), the first: %s", len(errs), describeSacctError(errs[0]))
			}
		default:
			var skip json.RawMessage
			if err := r.dec.Decode(&skip); err != nil {
				return false, err
			}
		}
	}
}

// readJob decodes the next job object and queues what it completes.
func (r *JSONReader) readJob() {
	line := r.lines.lineAt(r.nextValue())
	r.job = jsonJob{}
	err := r.dec.Decode(&r.job)
	var typeErr *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &typeErr) {
		r.fail(err)
		return
	}
	if typeErr != nil {
		// The decoder read the rest of the job, and the next one is
		// where it should be.
		r.badRow(line, typeErr.Field, fmt.Sprintf("want %s, got %s", jsonKind(typeErr.Type), typeErr.Value))
		return
	}
	if field, err := r.fill(&r.job, line); err != nil {
		r.badRow(line, field, err.Error())
		return
	}
	r.acc.complete()
	u := &r.acc.u
	it := item{u: *u}
	if col, reason := r.acc.check(); reason != "" {
		it = item{bad: r.rowError(line, jsonField(col), reason)}
	}
	ready, replaced := r.requeued.take(u, it)
	if replaced {
		r.stats.Duplicates++
	}
	if ready {
		r.queue = append(r.queue, it)
	}
}

// nextValue returns the offset where the next element of the jobs array
// begins: More has left the decoder at it, or at the comma before it.
func (r *JSONReader) nextValue() int64 {
	off := r.dec.InputOffset()
	rest := r.dec.Buffered()
	var c [1]byte
	for {
		if n, _ := rest.Read(c[:]); n == 0 {
			return off
		}
		switch c[0] {
		case ',', ' ', '\t', '\r', '\n':
			off++
		default:
			return off
		}
	}
}

// badRow queues a quarantined job.
func (r *JSONReader) badRow(line int, field, reason string) {
	r.queue = append(r.queue, item{bad: r.rowError(line, field, reason)})
}

// rowError describes a quarantined job. The decoder keeps no text of the
// job, so Raw names it instead.
func (r *JSONReader) rowError(line int, field, reason string) *ingest.RowError {
	raw := "job"
	if id := r.job.JobID; id.set {
		raw += " " + strconv.FormatInt(id.v, 10)
	}
	if r.job.Name != "" {
		raw += " " + strconv.Quote(r.job.Name)
	}
	return &ingest.RowError{File: r.file, Line: line, Field: field, Reason: reason, Raw: truncateUTF8(raw, maxRaw)}
}

// fail stops the reader with err, at the line the decoder has reached.
// The requeued runs held back are complete, and are returned first.
func (r *JSONReader) fail(err error) {
	r.queue = append(r.queue, r.requeued.release()...)
	r.err = r.wrap(err)
}

// wrap adds the file and the line the decoder has reached to err.
func (r *JSONReader) wrap(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = errors.New("the input ends inside the JSON object: a cut file")
	}
	return fmt.Errorf("parse %s:%d: %w", r.file, r.lines.lineAt(r.dec.InputOffset()), err)
}

// isTypeError reports whether err is a JSON value of the wrong type, after
// which the decoder goes on.
func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// jsonKind names, in JSON's terms, what a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// describeToken names a JSON token for an error message.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", clip(v))
	case nil:
		return "null"
	}
	return fmt.Sprintf("the value %v", tok)
}

// describeSacctError returns the text of an entry of sacct's "errors".
func describeSacctError(raw json.RawMessage) string {
	var e struct {
		Description string `json:"description"`
		Error       string `json:"error"`
	}
	switch {
	case json.Unmarshal(raw, &e) != nil: // a shape of its own is shown as it is
	case e.Description != "":
		return clip(e.Description)
	case e.Error != "":
		return clip(e.Error)
	}
	return clip(string(raw))
}
