// Package ingest turns input files into canonical usage records.
//
// Every format is read by a Reader that streams: memory does not grow with
// the input. A row that cannot be read is not fatal: it comes back as a
// RowError naming the file, line, field and reason, is quarantined and
// counted by the caller, and reading goes on. Only an input that cannot be
// read at all (not the format it claims to be, an I/O error) stops a Reader,
// and then nothing of it may reach the store.
package ingest

import (
	"fmt"

	"labcarbon"
)

// Reader is the contract every input format implements, shaped like
// bufio.Scanner.
type Reader interface {
	// Scan advances to the next record or bad row. It returns false at the
	// end of the input or on a fatal error; Err tells which.
	Scan() bool
	// Record returns the current item: exactly one of the two is non-nil.
	// The Usage is only valid until the next call to Scan.
	Record() (*labcarbon.Usage, *RowError)
	// Err returns the fatal error that stopped Scan, or nil at a clean end.
	Err() error
}

// RowError is a row that was quarantined instead of ingested.
type RowError struct {
	File   string
	Line   int
	Field  string // the column at fault; empty when the row as a whole is
	Reason string
	Raw    string // the offending line, truncated, for the exclusions report
}

func (e *RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: field %s: %s", e.File, e.Line, e.Field, e.Reason)
}
