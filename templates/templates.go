// Package templates holds the wording of what labcarbon writes to people —
// the executive summary, and later recommendations and statements — as Go
// text/templates embedded in the binary. A lab can reword any of them by
// pointing its config at a directory of files with the same names.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"
	"text/template"
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

// Funcs are the helpers templates may use to format numbers as people read
// them.
var Funcs = template.FuncMap{
	"mass":    Mass,
	"energy":  Energy,
	"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"num":     func(f float64) string { return Number(f, 0) },
	"float":   func(i int) float64 { return float64(i) },
	"ratio": func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	},
}

// Mass formats kilograms of CO2e with a unit that keeps the figure readable.
func Mass(kg float64) string {
	switch a := math.Abs(kg); {
	case a >= 1000:
		return Number(kg/1000, 2) + " t"
	case a >= 10:
		return Number(kg, 0) + " kg"
	case a >= 1:
		return Number(kg, 1) + " kg"
	default:
		return Number(kg*1000, 0) + " g"
	}
}

// Energy formats kilowatt-hours with a unit that keeps the figure readable.
func Energy(kwh float64) string {
	if math.Abs(kwh) >= 1000 {
		return Number(kwh/1000, 2) + " MWh"
	}
	return Number(kwh, 0) + " kWh"
}

// Number formats f with the given decimals and thousands separators.
func Number(f float64, decimals int) string {
	s := fmt.Sprintf("%.*f", decimals, f)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
