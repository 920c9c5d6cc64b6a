package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"labcarbon"
	"labcarbon/internal/atomicfile"
	"labcarbon/report"
)

// Disclosure is what a group's disclosure for a publication prints.
type Disclosure struct {
	Data      *report.Data // the group's jobs only
	Group, PI string
	// SCI is the Software Carbon Intensity, (E × I + M) per functional
	// unit: operational plus embodied gCO2e per SCIUnit; HasSCI is false
	// when the group had none of the unit.
	SCI     float64
	HasSCI  bool
	SCIUnit string
	// Citation names the software and its version.
	Citation string
}

// BuildDisclosure gathers group's figures for period: its jobs only, with
// the factors behind them and its Software Carbon Intensity.
func (p *Pipeline) BuildDisclosure(ctx context.Context, period labcarbon.Period, group string) (*Disclosure, error) {
	opts := p.reportOptions(0, nil)
	opts.Only = func(u *labcarbon.Usage) bool { return p.groupOf(u) == group }
	d, err := report.Build(ctx, p.store, period, opts)
	if err != nil {
		return nil, err
	}
	if d.Totals.Jobs == 0 {
		return nil, fmt.Errorf("group %q ran no jobs in %s", group, period.Label)
	}
	unit := p.cfg.Reports.SCIUnit
	// The report holds the group's jobs alone: its one group row.
	sci, ok := d.ByGroup[0].SCI(unit)
	return &Disclosure{Data: d, Group: group, PI: p.piOf(group), SCI: sci, HasSCI: ok, SCIUnit: unit,
		Citation: "labcarbon " + labcarbon.Version + " (factor catalog " + p.catalog.Version() + ")"}, nil
}

// WriteDisclosure writes group's disclosure for period into dir as
// Markdown, atomically, and returns its path.
func (p *Pipeline) WriteDisclosure(ctx context.Context, period labcarbon.Period, group, dir string) (string, error) {
	dc, err := p.BuildDisclosure(ctx, period, group)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("report directory: %w", err)
	}
	path := filepath.Join(dir, "labcarbon-"+safeName(period.Label)+"-disclosure-"+safeName(group)+".md")
	var b strings.Builder
	if err := p.tmpl.ExecuteTemplate(&b, "disclosure", dc); err != nil {
		return "", fmt.Errorf("execute template disclosure: %w", err)
	}
	return path, atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
}
