package ingest

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// sniffLen is how much of an input Detect sees: enough to skip a BOM and
// blank lines and see the first token.
const sniffLen = 512

// Input is an opened input: decompressed if it was gzipped, and with its
// format known. Read it with the format's reader; Close it when done.
type Input struct {
	Name   string // the path or name given, for messages and records
	Format string // one of Formats(), never auto
	r      io.Reader
	close  []func() error
}

// OpenInput opens the file at path for reading as format (one of Formats();
// "" or auto detects it). A gzip file, known by its magic bytes rather than
// its name, is decompressed on the fly.
func OpenInput(path, format string) (*Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	in, err := NewInput(f, path, format)
	if err != nil {
		f.Close()
		return nil, err
	}
	in.close = append(in.close, f.Close)
	return in, nil
}

// NewInput is OpenInput for an input that is already open, such as stdin or
// the output of sacct. Closing the Input does not close r.
func NewInput(r io.Reader, name, format string) (*Input, error) {
	format, err := checkFormat(format)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	in := &Input{Name: name}
	br := bufio.NewReaderSize(r, 256<<10)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	in.r = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: gzip: %w", name, err)
		}
		in.close = append(in.close, zr.Close)
		br = bufio.NewReaderSize(zr, 256<<10)
		in.r = br
	}
	if format == FormatAuto {
		head, err := br.Peek(sniffLen)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			in.Close()
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if format, err = Detect(head); err != nil {
			in.Close()
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	in.Format = format
	return in, nil
}

// Read reads the decompressed input.
func (in *Input) Read(p []byte) (int, error) { return in.r.Read(p) }

// Close releases the decompressor and the file, if OpenInput opened one.
func (in *Input) Close() error {
	var errs []error
	for i := len(in.close) - 1; i >= 0; i-- {
		errs = append(errs, in.close[i]())
	}
	in.close = nil
	return errors.Join(errs...)
}
