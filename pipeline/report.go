package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"labcarbon"
	"labcarbon/internal/atomicfile"
	"labcarbon/report"
	"labcarbon/report/export"
	"labcarbon/report/pdf"
	"labcarbon/report/xlsx"
	"labcarbon/templates"
)

// BuildReport aggregates a period into the data every renderer prints.
func (p *Pipeline) BuildReport(ctx context.Context, period labcarbon.Period, runID int64) (*report.Data, error) {
	d, err := report.Build(ctx, p.store, period, report.Options{
		Lab:          p.cfg.Lab.Name,
		Currency:     p.cfg.Lab.Currency,
		RunID:        runID,
		Now:          p.now(),
		UserLabel:    p.userLabel,
		GroupOf:      p.groupOf,
		PIOf:         p.piOf,
		HideJobNames: p.cfg.Privacy.HideJobNames,
		Equivalents:  p.equivalents,
	})
	if err != nil {
		return nil, err
	}
	if d.Summary, err = templates.Paragraphs(p.tmpl, "summary", d); err != nil {
		return nil, err
	}
	return d, nil
}

// WriteReports writes the period's reports in the given formats into dir,
// each atomically, and returns their paths and the period's totals.
func (p *Pipeline) WriteReports(ctx context.Context, period labcarbon.Period, formats []string, dir string, runID int64) ([]string, report.Totals, error) {
	d, err := p.BuildReport(ctx, period, runID)
	if err != nil {
		return nil, report.Totals{}, err
	}
	written, err := p.render(d, formats, dir)
	return written, d.Totals, err
}

func (p *Pipeline) render(d *report.Data, formats []string, dir string) ([]string, error) {
	period := d.Period
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report directory: %w", err)
	}
	base := filepath.Join(dir, "labcarbon-"+safeName(period.Label))
	var written []string
	for _, f := range formats {
		var path string
		var write func(io.Writer) error
		switch f {
		case "pdf":
			path, write = base+".pdf", func(w io.Writer) error { return pdf.Write(w, d) }
		case "xlsx":
			path, write = base+".xlsx", func(w io.Writer) error { return xlsx.Write(w, d) }
		case "csv", "json":
			path = base + "-jobs." + f
			write = func(w io.Writer) error { return export.Jobs(w, export.Format(f), d) }
		default:
			return written, fmt.Errorf("unknown report format %q (want pdf, xlsx, csv or json)", f)
		}
		if err := atomicfile.Write(path, write); err != nil {
			return written, err
		}
		p.log.Info("report written", "file", path, "period", period.Label)
		written = append(written, path)
	}
	return written, nil
}

// Export writes a period's results to w, one row per job or per key.
func (p *Pipeline) Export(ctx context.Context, w io.Writer, period labcarbon.Period, by export.By, f export.Format) error {
	d, err := p.BuildReport(ctx, period, 0)
	if err != nil {
		return err
	}
	if by == export.ByJob {
		return export.Jobs(w, f, d)
	}
	return export.Rows(w, f, by, d)
}

// safeName keeps a file name component to letters, digits and a few
// separators, whatever a period label or user name holds.
func safeName(s string) string {
	b := []rune(s)
	for i, r := range b {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}
