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
	// JSON tunes the reader of sacct --json output. Its Cluster defaults
	// to Sacct's.
	JSON slurm.JSONOptions
	// Jobcomp tunes the reader of jobcomp/filetxt logs. Its Location and
	// Cluster default to Sacct's: a site's sacct runs and its slurmctld
	// are in the same time zone and cluster, so one setting serves every
	// format.
	Jobcomp slurm.JobcompOptions
}

// Reader is a reader of any input format that also names the format it
// reads: with format auto, only the opened reader knows what the input
// turned out to be.
type Reader interface {
	ingest.Reader
	// Format returns the format read, one of ingest.Formats() but auto.
	Format() string
}

// Open opens the file at path and returns a reader for its records and the
// closer to call when done. gzip files are decompressed whatever their
// name. An input that cannot be read at all (missing, or not the format it
// claims) is an error, and nothing of it has been read.
func Open(path string, opts Options) (Reader, io.Closer, error) {
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
func NewReader(r io.Reader, name string, opts Options) (Reader, error) {
	in, err := ingest.NewInput(r, name, opts.Format)
	if err != nil {
		return nil, err
	}
	// The Input holds only a decompressor, which needs no closing to be
	// collected: its resources are memory.
	return newReader(in, name, opts)
}

// newReader builds the reader for in's format.
func newReader(in *ingest.Input, name string, opts Options) (Reader, error) {
	switch in.Format {
	case ingest.FormatSacct:
		return reader(slurm.NewSacctReader(in, name, opts.Sacct))
	case ingest.FormatSacctJSON:
		jo := opts.JSON
		if jo.Cluster == "" {
			jo.Cluster = opts.Sacct.Cluster
		}
		return reader(slurm.NewJSONReader(in, name, jo))
	case ingest.FormatJobcomp:
		jo := opts.Jobcomp
		if jo.Location == nil {
			jo.Location = opts.Sacct.Location
		}
		if jo.Cluster == "" {
			jo.Cluster = opts.Sacct.Cluster
		}
		return reader(slurm.NewJobcompReader(in, name, jo))
	}
	// OpenInput has checked the name against ingest.Formats().
	return nil, fmt.Errorf("read %s: no reader for format %s", name, in.Format)
}

// reader returns a format's reader as a Reader, or a nil Reader with the
// error: the nil pointer a constructor returns with an error would make a
// non-nil interface.
func reader[R Reader](r R, err error) (Reader, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}
