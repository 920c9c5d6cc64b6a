package factors

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// A lab's overlay is a directory of CSV files named and shaped like the
// embedded tables. Its rows are merged into the raw embedded tables before
// any reader runs, so an overlay row passes exactly the checks an embedded
// row does (ranges, provenance, references between tables, duplicate
// lookup keys) and no reader needs to know overlays exist.

// rowKey says which columns identify a row of a table, so that an overlay
// row with the same identity replaces the embedded one instead of being
// rejected by the reader as a duplicate.
type rowKey struct {
	// cols are the identifying columns; the first is the one errors name.
	cols []string
	// norm, when set, reduces the first column the way the table's lookups
	// and duplicate checks do, so that a row the reader would call a
	// duplicate is matched as a replacement.
	norm func(string) string
	// exact requires a replacing row to spell the first column as the
	// catalog does. It is set where other tables or lookups use the name
	// verbatim (gpu_aliases.csv names models, PUE keys are matched in lower
	// case), so a respelt replacement would break them; the error says so
	// at the lab's row instead of at some other table's.
	exact bool
	// sep joins the columns into the label Overridden prints.
	sep string
}

// rowKeys holds the identity of every table's rows, as each reader treats
// it as unique: cpus and gpus by lookup key of the model (indexCPUs,
// indexGPUs), aliases by lookup key (readGPUAliases), grid by zone and year
// (readGrid), zones by id (indexZones), embodied by kind and key, the rest
// by key (readFactor).
var rowKeys = map[string]rowKey{
	"cpus.csv":        {cols: []string{"model"}, norm: cpuKey, exact: true},
	"gpus.csv":        {cols: []string{"model"}, norm: gpuKey, exact: true},
	"gpu_aliases.csv": {cols: []string{"alias"}, norm: gpuKey},
	"grid.csv":        {cols: []string{"zone", "year"}, sep: " "},
	"zones.csv":       {cols: []string{"zone"}, norm: zoneKey, exact: true},
	"pue.csv":         {cols: []string{"key"}, norm: strings.ToLower, exact: true},
	"memory.csv":      {cols: []string{"key"}},
	"fallbacks.csv":   {cols: []string{"key"}},
	"embodied.csv":    {cols: []string{"kind", "key"}, sep: "."},
	"equivalents.csv": {cols: []string{"key"}},
}

// key returns the identity of r and its label; key is "" when an
// identifying column is empty, which the table's reader then reports.
func (k rowKey) key(r *row) (key, label string) {
	vals := make([]string, len(k.cols))
	for i, c := range k.cols {
		vals[i] = r.str(c)
		if vals[i] == "" {
			return "", ""
		}
	}
	label = strings.Join(vals, k.sep)
	if k.norm != nil {
		vals[0] = k.norm(vals[0])
	}
	return strings.Join(vals, "\x00"), label
}

// LoadWith returns the embedded catalog with a lab's overlay merged in.
// overlay holds any subset of the catalog's files (cpus.csv, gpus.csv,
// gpu_aliases.csv, grid.csv, zones.csv, pue.csv, memory.csv, fallbacks.csv,
// embodied.csv, equivalents.csv) at its root, each with the same columns as
// the embedded table, provenance included. An overlay row whose key matches
// an embedded row replaces it; any other row is added. A file of any other
// name is an error, so that a misspelt file is not silently ignored.
//
// The result's Version is the embedded version followed by "+lab." and a
// hash of the overlay, and Overridden lists what the overlay changed.
// LoadWith(nil), and an overlay holding no files, return Load(). Unlike
// Load, LoadWith parses the tables on every call; callers keep the result.
func LoadWith(overlay fs.FS) (*Catalog, error) {
	if overlay == nil {
		return Load()
	}
	files, err := readOverlay(overlay)
	if err != nil {
		return nil, fmt.Errorf("loading factor overlay: %w", err)
	}
	if len(files) == 0 {
		return Load()
	}
	// A fresh parse, not Load's tables: merging writes into the tables,
	// and the cached embedded catalog must not change under other callers.
	t, version, err := readTables(dataFS)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	var changes []string
	for _, f := range files {
		over, err := parseTable(f.name+" (overlay)", f.data, required(f.name)...)
		if err != nil {
			return nil, fmt.Errorf("loading factor overlay: %w", err)
		}
		ch, err := merge(t[f.name], over, rowKeys[f.name])
		if err != nil {
			return nil, fmt.Errorf("loading factor overlay: %w", err)
		}
		changes = append(changes, ch...)
		fmt.Fprintf(h, "%s %d\n", f.name, len(f.data))
		h.Write(f.data)
	}
	c, err := build(t)
	if err != nil {
		return nil, err
	}
	c.version = version + "+lab." + hex.EncodeToString(h.Sum(nil))[:12]
	c.overridden = changes
	return c, nil
}

// Overridden lists the rows a lab's overlay replaced or added, one entry
// per row in file-name then file order, such as "cpus.csv: AMD EPYC 7763
// (replaced)" or "grid.csv: GB 2026 (added)", for a report's audit
// appendix. It is empty for the embedded catalog. The rows themselves carry
// the overlay's provenance.
func (c *Catalog) Overridden() []string { return slices.Clone(c.overridden) }

// overlayFile is one file of an overlay.
type overlayFile struct {
	name string
	data []byte
}

// readOverlay reads every file at the root of overlay, sorted by name so
// the version hash does not depend on directory order, and refuses any
// name that is not a catalog table.
func readOverlay(overlay fs.FS) ([]overlayFile, error) {
	entries, err := fs.ReadDir(overlay, ".")
	if err != nil {
		return nil, fmt.Errorf("listing overlay: %w", err)
	}
	var files []overlayFile
	for _, e := range entries { // fs.ReadDir sorts by name
		name := e.Name()
		if _, ok := schema[name]; !ok {
			return nil, fmt.Errorf("%s: not a catalog table (want one of %s)", name, strings.Join(tableNames, ", "))
		}
		if e.IsDir() {
			return nil, fmt.Errorf("%s: is a directory", name)
		}
		b, err := fs.ReadFile(overlay, name)
		if err != nil {
			return nil, fmt.Errorf("reading overlay: %w", err)
		}
		files = append(files, overlayFile{name: name, data: b})
	}
	return files, nil
}

// merge writes over's rows into base: a row whose key matches a base row
// replaces it in place (keeping the table's order), any other is appended.
// Rows keep the file and line they came from, so readers' errors point at
// the overlay. It returns one Overridden entry per overlay row.
func merge(base, over *table, k rowKey) ([]string, error) {
	// The overlay's columns may come in any order; records are rewritten
	// in base's. A column base lacks would be silently dropped, which for
	// a misspelt optional column ("idle_watts") means a wrong figure.
	for _, h := range over.header {
		if _, ok := base.col[strings.TrimSpace(h)]; !ok {
			return nil, fmt.Errorf("reading %s: unknown column %q", over.name, h)
		}
	}
	from := make([]int, len(base.header)) // base column → overlay column, or -1
	for i, h := range base.header {
		j, ok := over.col[strings.TrimSpace(h)]
		if !ok {
			j = -1
		}
		from[i] = j
	}
	index := make(map[string]int, len(base.recs))
	for i := range base.recs {
		if key, _ := k.key(base.row(i)); key != "" {
			index[key] = i
		}
	}
	name := strings.TrimPrefix(base.name, "data/")
	seen := make(map[string]int) // key → overlay line, to refuse a row given twice
	var changes []string
	for i := range over.recs {
		r := over.row(i)
		rec := make([]string, len(base.header))
		for c, j := range from {
			if j >= 0 && j < len(r.rec) {
				rec[c] = r.rec[j]
			}
		}
		key, label := k.key(r)
		if key == "" {
			// The reader rejects the empty column at this row.
			base.recs = append(base.recs, rec)
			base.src = append(base.src, over.src[i])
			continue
		}
		if line, dup := seen[key]; dup {
			r.fail(k.cols[0], fmt.Errorf("%q is also on line %d", label, line))
			return nil, r.err
		}
		seen[key] = r.line
		j, ok := index[key]
		if !ok {
			base.recs = append(base.recs, rec)
			base.src = append(base.src, over.src[i])
			changes = append(changes, fmt.Sprintf("%s: %s (added)", name, label))
			continue
		}
		_, was := k.key(base.row(j))
		if was != label {
			if k.exact {
				r.fail(k.cols[0], fmt.Errorf("%q matches the catalog's %q: spell it as the catalog does to replace that row", label, was))
				return nil, r.err
			}
			label += " (replaced " + was + ")"
		} else {
			label += " (replaced)"
		}
		base.recs[j] = rec
		base.src[j] = over.src[i]
		changes = append(changes, fmt.Sprintf("%s: %s", name, label))
	}
	return changes, nil
}
