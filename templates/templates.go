// Package templates holds the wording of what labcarbon writes to people —
// the executive summary, the recommendations, and later statements — as Go
// text/templates embedded in the binary. A lab can reword any of them by
// pointing its config at a directory of files with the same names.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/template"

	"labcarbon/report"
)

//go:embed *.tmpl
var defaults embed.FS

// Load parses the embedded templates, then any *.tmpl files in overrideDir
// (which may be empty), whose definitions replace the defaults of the same
// name.
func Load(overrideDir string) (*template.Template, error) {
	t, err := template.New("labcarbon").Funcs(Funcs).ParseFS(defaults, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse embedded templates: %w", err)
	}
	if overrideDir == "" {
		return t, nil
	}
	matches, err := fs.Glob(os.DirFS(overrideDir), "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("templates in %s: %w", overrideDir, err)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("templates in %s: no *.tmpl files", overrideDir)
	}
	if t, err = t.ParseFS(os.DirFS(overrideDir), "*.tmpl"); err != nil {
		return nil, fmt.Errorf("parse templates in %s: %w", overrideDir, err)
	}
	return t, nil
}

// Paragraphs executes the named template and splits its output into
// paragraphs at blank lines, joining wrapped lines.
func Paragraphs(t *template.Template, name string, data any) ([]string, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("execute template %s: %w", name, err)
	}
	var out []string
	for _, p := range strings.Split(b.String(), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// Text executes the named template and returns its output as one line of
// text, wrapped lines joined.
func Text(t *template.Template, name string, data any) (string, error) {
	paras, err := Paragraphs(t, name, data)
	return strings.Join(paras, " "), err
}

// Funcs are the helpers templates may use to format numbers as people read
// them.
var Funcs = template.FuncMap{
	"mass":    report.Mass,
	"energy":  report.Energy,
	"percent": report.Percent,
	"num":     func(f float64) string { return report.Number(f, 0) },
	"float":   func(i int) float64 { return float64(i) },
	"ratio": func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	},
	"add": func(a, b float64) float64 { return a + b },
	// count prints how many of an equivalent, to about three significant
	// digits, so that 0.18 flights does not print as 0.
	"count":    func(f float64) string { return report.Number(f, report.Decimals(f)) },
	"familiar": Familiar,
	// last reports whether i is the index of the last element of s.
	"last": func(i int, s []report.EquivalentCount) bool { return i == len(s)-1 },
}

// Familiar picks, from the catalog's equivalents, the few a reader grasps
// at once: tree-months, kilometres by car and one flight. The flight is
// chosen as Green Algorithms' HPC tool does, so that the count is neither
// a sliver of a long flight nor dozens of short ones: Paris–London below
// half a New York–San Francisco flight (285 kg), New York–San Francisco
// below half a New York–Melbourne flight (1,155 kg), New York–Melbourne
// above. The thresholds follow the catalog's figures for those flights.
// Equivalents the catalog lacks are left out.
func Familiar(eqs []report.EquivalentCount) []report.EquivalentCount {
	byKey := map[string]report.EquivalentCount{}
	for _, e := range eqs {
		byKey[e.Key] = e
	}
	var out []report.EquivalentCount
	for _, k := range []string{"tree_month", "car_km"} {
		if e, ok := byKey[k]; ok {
			out = append(out, e)
		}
	}
	// Every count is of the same CO2e, so "below half a flight" is a
	// count under 0.5: take the longest flight the CO2e makes half of.
	for _, k := range []string{"flight_nyc_melbourne", "flight_nyc_sf", "flight_paris_london"} {
		if e, ok := byKey[k]; ok && (e.Count >= 0.5 || k == "flight_paris_london") {
			return append(out, e)
		}
	}
	return out
}
