// Package intensity reads hourly grid carbon-intensity series from CSV
// files, for `labcarbon factors import`: the hourly exports of Electricity
// Maps, in the classic data-portal spelling
//
//	Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),...
//
// and the newer one
//
//	Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),...
//
// and a plain form, timestamp,gco2_per_kwh (optionally with a zone column).
//
// Reading goes in three steps:
//
//  1. The header decides the format. Columns are found by name, ignoring
//     case, punctuation and the subscript in "gCO₂eq", so both spellings
//     match and columns may come in any order. A header with no time
//     column or no intensity column is not a series: NewReader fails and
//     nothing has been read.
//  2. Each row is one hour of one zone: the hour's beginning (UTC), the
//     zone (the file's zone column, or Options.Zone), and the intensity
//     from the column of the chosen basis, life-cycle by default, since
//     that is what the catalog's annual figures count.
//  3. A row that cannot be such an hour (bad time, not on the hour, no or
//     bad value, unknown zone, an hour already given) comes back as an
//     ingest.RowError naming line, column and reason, and reading goes on,
//     as for accounting files. Only an I/O error stops the Reader.
//
// The Reader streams; what it keeps per row is the hour, to find duplicates
// and gaps (Coverage).
package intensity

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"labcarbon/ingest"
)

// Basis is which intensity an Electricity Maps export's row is read from.
type Basis string

// The bases of Electricity Maps' exports, named as the catalog's Grid.Basis
// names them.
const (
	// Lifecycle counts the emissions of building and fuelling the plants
	// too; the catalog's annual figures are life-cycle, so a series
	// imported on this basis is comparable with them.
	Lifecycle Basis = "lifecycle"
	// Direct counts combustion at the plant only.
	Direct Basis = "direct"
)

// Label is how reports and messages print a basis.
func (b Basis) Label() string {
	if b == Lifecycle {
		return "life-cycle"
	}
	return string(b)
}

// ParseBasis reads a basis as a flag gives it: lifecycle (also life-cycle,
// lca) or direct.
func ParseBasis(s string) (Basis, error) {
	switch norm(s) {
	case "lifecycle", "life cycle", "lca":
		return Lifecycle, nil
	case "direct":
		return Direct, nil
	}
	return "", fmt.Errorf("unknown basis %q: want lifecycle or direct", s)
}

// ErrNoZone is returned (wrapped) by NewReader for a file without a zone
// column when Options gives no zone either.
var ErrNoZone = errors.New("the file has no zone column and no zone was given")

// Format names the kind of file a Reader found.
type Format string

// The formats a Reader recognises.
const (
	FormatElectricityMaps Format = "electricitymaps"
	FormatPlain           Format = "plain"
)

// Options say how to read a series.
type Options struct {
	// Basis picks the column of an Electricity Maps export; empty means
	// Lifecycle. A plain file has one intensity column, read as it is.
	Basis Basis
	// Zone is the zone of every row. A file without a zone column needs
	// it; in a file with one, a row naming another zone is quarantined.
	Zone string
	// ZoneID maps a zone as the file or Zone names it to the id the series
	// is kept under, or fails for a zone that has none; nil keeps names as
	// they are. Rows whose zone fails are quarantined.
	ZoneID func(name string) (string, error)
}

// Point is one hour of a zone's grid carbon intensity.
type Point struct {
	Zone    string    // as Options.ZoneID maps it
	Hour    time.Time // the beginning of the hour, UTC
	GPerKWh float64   // gCO2e/kWh
	// Estimated says the export marks the value as estimated rather than
	// measured (Electricity Maps' "Data estimated" column).
	Estimated bool
}

// maxGPerKWh bounds a plausible intensity. The dirtiest grids are near
// 1,100 gCO2e/kWh life-cycle; a figure above this bound is a unit mistake
// (g per MWh, lb per MWh × 1000), not a grid.
const maxGPerKWh = 5000

// maxRaw is how much of a bad row a RowError keeps.
const maxRaw = 200

// columns are the indices of the columns a Reader reads; -1 when absent.
type columns struct {
	time, zone, value, estimated int
}

// Reader reads one series file. It is shaped like ingest.Reader.
type Reader struct {
	cr     *csv.Reader
	name   string
	header []string
	col    columns
	format Format
	basis  Basis // the basis of the column read; "" for a plain file
	zone   string
	zoneID func(string) (string, error)
	ids    map[string]zoneResult // ZoneID's answers, by name as given

	seen  map[string]map[int64]int // zone → hour (unix) → line
	point Point
	bad   *ingest.RowError
	err   error
}

type zoneResult struct {
	id  string
	err error
}

// NewReader reads the header of r, named name in messages, and returns a
// Reader for its rows. It fails, having read nothing but the header, when
// the header is not that of a carbon-intensity series, when opts.Basis
// names a column the export lacks, or when the file names no zone and
// opts gives none.
func NewReader(r io.Reader, name string, opts Options) (*Reader, error) {
	basis := opts.Basis
	switch basis {
	case "":
		basis = Lifecycle
	case Lifecycle, Direct:
	default:
		return nil, fmt.Errorf("read %s: unknown basis %q", name, basis)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a row of the wrong width is a bad row, not the end
	cr.ReuseRecord = true
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("read %s: the file is empty", name)
	case err != nil:
		return nil, fmt.Errorf("read %s: header: %w", name, err)
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	rd := &Reader{
		cr: cr, name: name, header: header, zoneID: opts.ZoneID,
		ids:  make(map[string]zoneResult),
		seen: make(map[string]map[int64]int),
	}
	if err := rd.findColumns(basis); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if opts.Zone != "" {
		if rd.zone, err = rd.id(opts.Zone); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	} else if rd.col.zone < 0 {
		return nil, fmt.Errorf("read %s: %w", name, ErrNoZone)
	}
	return rd, nil
}

// norm reduces a header cell to the form columns are recognised by: lower
// case, "₂" as "2", any run of other characters as one space.
func norm(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "₂", "2")
	return strings.Join(strings.FieldsFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	}), " ")
}

// findColumns recognises the header.
func (r *Reader) findColumns(basis Basis) error {
	col := columns{time: -1, zone: -1, value: -1, estimated: -1}
	direct, lifecycle, plain := -1, -1, -1
	var dup []string
	set := func(i *int, j int) {
		if *i >= 0 {
			dup = append(dup, fmt.Sprintf("%q and %q", r.header[*i], r.header[j]))
		}
		*i = j
	}
	for j, h := range r.header {
		n := norm(h)
		words := " " + n + " "
		switch {
		case n == "timestamp" || n == "time" || n == "hour" || strings.HasPrefix(n, "datetime"):
			set(&col.time, j)
		case n == "zone" || n == "zone id" || n == "zone key":
			set(&col.zone, j)
		case strings.HasPrefix(n, "carbon intensity") && strings.Contains(words, " direct "):
			set(&direct, j)
		case strings.HasPrefix(n, "carbon intensity") && (strings.Contains(words, " lca ") ||
			strings.Contains(words, " life cycle ") || strings.Contains(words, " lifecycle ")):
			set(&lifecycle, j)
		case slices.Contains([]string{"gco2perkwh", "gco2eperkwh", "gco2eqperkwh", "gperkwh", "carbonintensity"}, strings.ReplaceAll(n, " ", "")):
			set(&plain, j)
		case n == "data estimated":
			set(&col.estimated, j)
		}
	}
	if len(dup) > 0 {
		return fmt.Errorf("not a carbon-intensity series: columns %s mean the same", strings.Join(dup, ", "))
	}
	switch {
	case direct >= 0 || lifecycle >= 0:
		r.format, r.basis = FormatElectricityMaps, basis
		col.value = lifecycle
		if basis == Direct {
			col.value = direct
		}
		if col.value < 0 {
			return fmt.Errorf("the Electricity Maps export has no %s intensity column", basis)
		}
	case plain >= 0:
		r.format, col.value = FormatPlain, plain
	default:
		return fmt.Errorf("not a carbon-intensity series: the header %q has no intensity column "+
			"(Electricity Maps: Carbon intensity gCO₂eq/kWh (Life cycle); plain: gco2_per_kwh)", clip(strings.Join(r.header, ",")))
	}
	if col.time < 0 {
		return fmt.Errorf("not a carbon-intensity series: the header %q has no time column (Datetime (UTC) or timestamp)", clip(strings.Join(r.header, ",")))
	}
	r.col = col
	return nil
}

// Format is the format the header showed.
func (r *Reader) Format() Format { return r.format }

// Basis is the basis of the column read: Lifecycle or Direct for an
// Electricity Maps export, "" for a plain file, whose basis is what its
// producer used.
func (r *Reader) Basis() Basis { return r.basis }

// Column is the header of the intensity column read, as the file spells it.
func (r *Reader) Column() string { return r.header[r.col.value] }

// Scan advances to the next hour or bad row. It returns false at the end of
// the file or on an I/O error; Err tells which.
func (r *Reader) Scan() bool {
	r.bad = nil
	if r.err != nil {
		return false
	}
	rec, err := r.cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return false
	case errors.As(err, &pe):
		// The csv reader resumes at the next line: a broken quote spoils
		// one row, not the file.
		r.bad = &ingest.RowError{File: r.name, Line: pe.StartLine, Reason: pe.Err.Error(), Raw: raw(rec)}
		return true
	case err != nil:
		r.err = fmt.Errorf("read %s: %w", r.name, err)
		return false
	}
	line, _ := r.cr.FieldPos(0)
	if p, bad := r.row(rec, line); bad != nil {
		r.bad = bad
	} else {
		r.point = p
	}
	return true
}

// Point returns the current item: exactly one of the two is non-nil. The
// Point is only valid until the next call to Scan.
func (r *Reader) Point() (*Point, *ingest.RowError) {
	if r.bad != nil {
		return nil, r.bad
	}
	return &r.point, nil
}

// Err returns the error that stopped Scan, or nil at the end of the file.
func (r *Reader) Err() error { return r.err }

// row reads one record as an hour.
func (r *Reader) row(rec []string, line int) (Point, *ingest.RowError) {
	bad := func(col int, format string, a ...any) (Point, *ingest.RowError) {
		e := &ingest.RowError{File: r.name, Line: line, Reason: fmt.Sprintf(format, a...), Raw: raw(rec)}
		if col >= 0 {
			e.Field = r.header[col]
		}
		return Point{}, e
	}
	if len(rec) != len(r.header) {
		return bad(-1, "%d fields, the header has %d", len(rec), len(r.header))
	}
	field := func(col int) string { return strings.TrimSpace(rec[col]) }

	hour, err := parseTime(field(r.col.time))
	if err != nil {
		return bad(r.col.time, "%v", err)
	}
	if !hour.Truncate(time.Hour).Equal(hour) {
		return bad(r.col.time, "%s is not the beginning of an hour: the series must be hourly", field(r.col.time))
	}

	zone := r.zone
	if r.col.zone >= 0 {
		id, err := r.id(field(r.col.zone))
		switch {
		case err != nil:
			return bad(r.col.zone, "%v", err)
		case zone != "" && id != zone:
			return bad(r.col.zone, "zone %s, but the series is imported for %s", id, zone)
		}
		zone = id
	}

	s := field(r.col.value)
	if s == "" {
		return bad(r.col.value, "no intensity")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return bad(r.col.value, "%q is not a number", s)
	case v < 0:
		return bad(r.col.value, "negative intensity %s", s)
	case v > maxGPerKWh:
		return bad(r.col.value, "%s gCO2e/kWh is implausible (a unit mistake?)", s)
	}

	seen := r.seen[zone]
	if seen == nil {
		seen = make(map[int64]int)
		r.seen[zone] = seen
	}
	if first, dup := seen[hour.Unix()]; dup {
		return bad(r.col.time, "%s %s is already given on line %d", zone, hour.Format(hourLayout), first)
	}
	seen[hour.Unix()] = line

	p := Point{Zone: zone, Hour: hour, GPerKWh: v}
	if r.col.estimated >= 0 {
		p.Estimated = strings.EqualFold(field(r.col.estimated), "true")
	}
	return p, nil
}

// id maps a zone name through Options.ZoneID, once per distinct name.
func (r *Reader) id(name string) (string, error) {
	if name == "" {
		return "", errors.New("no zone")
	}
	if r.zoneID == nil {
		return name, nil
	}
	z, ok := r.ids[name]
	if !ok {
		z.id, z.err = r.zoneID(name)
		r.ids[name] = z
	}
	return z.id, z.err
}

// hourLayout prints an hour in messages and summaries.
const hourLayout = "2006-01-02 15:04"

// timeLayouts are the timestamps a series may have: RFC 3339 with any
// offset, or a UTC time without one, as Electricity Maps writes it.
var timeLayouts = []struct {
	layout string
	utc    bool
}{
	{time.RFC3339, false},
	{"2006-01-02 15:04:05Z07:00", false},
	{time.DateTime, true},
	{"2006-01-02T15:04:05", true},
	{"2006-01-02 15:04", true},
	{"2006-01-02T15:04", true},
}

// parseTime reads a timestamp and returns it in UTC.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("no time")
	}
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.utc {
			t, err = time.ParseInLocation(l.layout, s, time.UTC)
		} else {
			t, err = time.Parse(l.layout, s)
		}
		if err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (want RFC 3339 or YYYY-MM-DD HH:MM:SS in UTC)", s)
}

// raw rebuilds a bad row for its RowError, cut to maxRaw bytes.
func raw(rec []string) string {
	return clip(strings.Join(rec, ","))
}

// clip makes s valid UTF-8 and cuts it to maxRaw bytes at a character
// boundary, for messages and the quarantine.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxRaw {
		return s
	}
	i := maxRaw
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
