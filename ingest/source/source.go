// Package source opens an input of any supported format and returns the
// reader for it: it decompresses, detects the format (in package ingest) and
// hands the bytes to the format's reader (in ingest/slurm, and later
// ingest/cloud).
//
// It is a package of its own because the format readers import ingest for
// its contract, so ingest itself cannot import them.
package source

import (
	"fmt"
	"io"

	"labcarbon/ingest"
	"labcarbon/ingest/slurm"
)

// Options say how to read an input.
type Options struct {
	// Format is one of ingest.Formats(); "" or "auto" detects it.
	Format string
	// Sacct tunes the reader of sacct text (delimiter, columns for
	// --noheader files, time zone, default cluster).
	Sacct slurm.SacctOptions
}

// Open opens the file at path and returns a reader for its records and the
// closer to call when done. gzip files are decompressed whatever their
// name. An input that cannot be read at all (missing, not the format it
// claims, not a format labcarbon reads yet) is an error, and nothing of it
// has been read.
func Open(path string, opts Options) (ingest.Reader, io.Closer, error) {
	in, err := ingest.OpenInput(path, opts.Format)
	if err != nil {
		return nil, nil, err
	}
	r, err := newReader(in, path, opts)
	if err != nil {
		in.Close()
		return nil, nil, err
	}
	return r, in, nil
}

// NewReader is Open for an input that is already open, such as stdin or the
// output of a sacct command; name stands for it in records and messages.
// The caller closes r.
func NewReader(r io.Reader, name string, opts Options) (ingest.Reader, error) {
	in, err := ingest.NewInput(r, name, opts.Format)
	if err != nil {
		return nil, err
	}
	// The Input holds only a decompressor, which needs no closing to be
	// collected: its resources are memory.
	return newReader(in, name, opts)
}

// newReader builds the reader for in's format.
func newReader(in *ingest.Input, name string, opts Options) (ingest.Reader, error) {
	switch in.Format {
	case ingest.FormatSacct:
		return slurm.NewSacctReader(in, name, opts.Sacct)
	default:
		return nil, fmt.Errorf("read %s: format %s %w", name, in.Format, ingest.ErrUnsupported)
	}
}
