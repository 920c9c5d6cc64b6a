package factors

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

var errEmpty = errors.New("empty")

// table is one embedded CSV file, read whole: the files are small and are
// read once per process.
type table struct {
	name   string
	col    map[string]int
	header []string
	recs   [][]string
}

// readTable reads name from fsys and checks that every column in required is
// present, so a renamed column fails at Load rather than reading as zero.
func readTable(fsys fs.FS, name string, required ...string) (*table, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("reading %s: no header", name)
	}
	t := &table{name: name, col: make(map[string]int), header: recs[0], recs: recs[1:]}
	for i, h := range recs[0] {
		t.col[h] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("reading %s: missing column %q", name, c)
		}
	}
	return t, nil
}

// each calls fn for every data row and returns the first error any row
// recorded, naming file, line and column.
func (t *table) each(fn func(r *row)) error {
	for i, rec := range t.recs {
		r := &row{t: t, rec: rec, line: i + 2}
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
	line int
	err  error
}

func (r *row) fail(col string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s line %d: column %s: %w", r.t.name, r.line, col, err)
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
