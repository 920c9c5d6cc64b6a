// Package templates holds the wording of what labcarbon writes to people —
// the executive summary, and later recommendations and statements — as Go
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
}
