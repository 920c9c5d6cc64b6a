package factors

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

var errEmpty = errors.New("empty")

// table is one CSV file, read whole: the files are small and are read once
// per process. After a lab's overlay is merged in, a table holds rows from
// two files; src says for each row which file and line it came from, so
// that a reader's error points at the row the lab wrote, not at a line of
// the merged table that exists nowhere.
type table struct {
	name   string
	col    map[string]int
	header []string
	recs   [][]string
	src    []rowSource // parallel to recs
}

// rowSource is the file and line a record was read from.
type rowSource struct {
	file string
	line int
}

// parseTable parses data, the contents of the file called name, and checks
// that every column in required is present, so a renamed column fails at
// Load rather than reading as zero.
func parseTable(name string, data []byte, required ...string) (*table, error) {
	// Spreadsheets save CSV with a byte-order mark; left in, it would be
	// part of the first column's name and that column would be "missing".
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	t := &table{name: name, col: make(map[string]int)}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		if t.header == nil {
			t.header = rec
			continue
		}
		// FieldPos, not a running count, because a quoted cell may span
		// lines and the error must name the line an editor shows.
		line, _ := cr.FieldPos(0)
		t.recs = append(t.recs, rec)
		t.src = append(t.src, rowSource{file: name, line: line})
	}
	if t.header == nil {
		return nil, fmt.Errorf("reading %s: no header", name)
	}
	for i, h := range t.header {
		h = strings.TrimSpace(h)
		if _, dup := t.col[h]; dup {
			return nil, fmt.Errorf("reading %s: column %q appears twice", name, h)
		}
		t.col[h] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("reading %s: missing column %q", name, c)
		}
	}
	return t, nil
}

// row returns the i-th data record for reading.
func (t *table) row(i int) *row {
	return &row{t: t, rec: t.recs[i], file: t.src[i].file, line: t.src[i].line}
}

// each calls fn for every data row and returns the first error any row
// recorded, naming file, line and column.
func (t *table) each(fn func(r *row)) error {
	for i := range t.recs {
		r := t.row(i)
		fn(r)
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// row is one record being read. Getters record the first problem instead of
// returning it, so readers stay a flat list of fields; each reports it.
type row struct {
	t    *table
	rec  []string
	file string
	line int
	err  error
}

func (r *row) fail(col string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s line %d: column %s: %w", r.file, r.line, col, err)
	}
}

func (r *row) str(col string) string {
	i, ok := r.t.col[col]
	if !ok {
		r.fail(col, errors.New("no such column"))
		return ""
	}
	if i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// float reads a required number.
func (r *row) float(col string) float64 {
	s := r.str(col)
	if s == "" {
		r.fail(col, errEmpty)
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.fail(col, err)
	}
	return v
}

// optFloat reads a number that may be missing; missing is 0.
func (r *row) optFloat(col string) float64 {
	if r.str(col) == "" {
		return 0
	}
	return r.float(col)
}

// int reads a required whole number.
func (r *row) int(col string) int {
	s := r.str(col)
	if s == "" {
		r.fail(col, errEmpty)
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		r.fail(col, err)
	}
	return v
}

// list reads a '|'-separated list.
func (r *row) list(col string) []string {
	s := r.str(col)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
