package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/internal/atomicfile"
	"labcarbon/report"
	"labcarbon/report/export"
	"labcarbon/report/pdf"
	"labcarbon/report/xlsx"
	"labcarbon/store"
	"labcarbon/templates"
)

// BuildReport aggregates a period into the data every renderer prints: its
// figures, its recommendations (and what became of the previous period's),
// and the totals of the periods it is compared with.
func (p *Pipeline) BuildReport(ctx context.Context, period labcarbon.Period, runID int64) (*report.Data, error) {
	return p.buildReport(ctx, period, runID, nil)
}

// buildReport is BuildReport with also, when not nil, seeing every job the
// report counts in the same pass over the store.
func (p *Pipeline) buildReport(ctx context.Context, period labcarbon.Period, runID int64, also func(*labcarbon.Job)) (*report.Data, error) {
	eng := p.recommender()
	visit := eng.Add
	if also != nil {
		visit = func(j *labcarbon.Job) {
			eng.Add(j)
			also(j)
		}
	}
	d, err := report.Build(ctx, p.store, period, p.reportOptions(runID, visit))
	if err != nil {
		return nil, err
	}
	if d.Summary, err = templates.Paragraphs(p.tmpl, "summary", d); err != nil {
		return nil, err
	}
	if d.Inputs, err = p.inputs(ctx); err != nil {
		return nil, err
	}
	if d.Recommendations, err = p.wordRecommendations(eng.Recommendations()); err != nil {
		return nil, err
	}
	// The period before is read with the rules too, to tell what became of
	// its recommendations.
	prevEng := p.recommender()
	prev, err := report.Build(ctx, p.store, period.Previous(), p.reportOptions(runID, prevEng.Add))
	if err != nil {
		return nil, err
	}
	d.Previous = &report.Comparison{Period: prev.Period, Totals: prev.Totals}
	if prev.Totals.Jobs > 0 {
		var shared []recommend.Recommendation
		for _, r := range prevEng.Recommendations() {
			if r.Scope != recommend.ScopeUser {
				shared = append(shared, r)
			}
		}
		var cur []recommend.Recommendation
		for _, r := range d.Recommendations {
			cur = append(cur, r.Recommendation)
		}
		d.Uptake = recommend.Realised(shared, cur)
		if d.PreviousRecommendations, err = p.wordRecommendations(shared); err != nil {
			return nil, err
		}
	}
	// The store sums the compared periods without reading their jobs: the
	// year to date can be most of a big centre's year. It is this period's
	// totals and the store's sum of the year before it, less the jobs that
	// ran across the two and count in both.
	year := time.Date(period.To.Add(-time.Nanosecond).Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	ytd := labcarbon.Period{Label: fmt.Sprintf("%d to date", year.Year()), From: year, To: period.To}
	var sum report.Totals
	if year.After(period.From) {
		// A period reaching into the year before: sum the year to date whole.
		t, err := p.store.Totals(ctx, year, period.To)
		if err != nil {
			return nil, err
		}
		sum = comparisonTotals(t)
	} else {
		earlier, err := p.store.Totals(ctx, year, period.From)
		if err != nil {
			return nil, err
		}
		sum = report.Totals{Jobs: d.Totals.Jobs + earlier.Jobs - earlier.RunningAtEnd,
			EnergyKWh: d.Totals.EnergyKWh.Add(earlier.EnergyKWh), CO2eKg: d.Totals.CO2eKg.Add(earlier.CO2eKg),
			EmbodiedCO2eKg: d.Totals.EmbodiedCO2eKg.Add(earlier.EmbodiedCO2eKg), Cost: d.Totals.Cost + earlier.Cost}
	}
	d.YearToDate = &report.Comparison{Period: ytd, Totals: sum}
	yearEarlier := period.YearEarlier()
	t, err := p.store.Totals(ctx, yearEarlier.From, yearEarlier.To)
	if err != nil {
		return nil, err
	}
	d.YearEarlier = &report.Comparison{Period: yearEarlier, Totals: comparisonTotals(t)}
	return d, nil
}

// inputs lists every input the store's data came from, as last read by a
// run that succeeded, newest first.
func (p *Pipeline) inputs(ctx context.Context) ([]report.Input, error) {
	runs, err := p.store.Runs(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("read run history: %w", err)
	}
	seen := map[string]bool{}
	var out []report.Input
	for _, r := range runs {
		if r.Status != "ok" && r.Status != "partial" {
			continue
		}
		for _, in := range r.Inputs {
			if seen[in.Name] || in.Format == "restate" {
				continue
			}
			seen[in.Name] = true
			out = append(out, report.Input{Name: in.Name, SHA256: in.SHA256, Format: in.Format, Jobs: in.Jobs, Bad: in.Bad, RunID: r.ID, Read: r.Started})
		}
	}
	return out, nil
}

// comparisonTotals are the store's sums as a report prints them.
func comparisonTotals(t store.Totals) report.Totals {
	return report.Totals{Jobs: t.Jobs, EnergyKWh: t.EnergyKWh, CO2eKg: t.CO2eKg, EmbodiedCO2eKg: t.EmbodiedCO2eKg, Cost: t.Cost}
}

// reportOptions are the lab's options for building a report, with visit
// seeing every job counted.
func (p *Pipeline) reportOptions(runID int64, visit func(*labcarbon.Job)) report.Options {
	return report.Options{
		Lab:          p.cfg.Lab.Name,
		Currency:     p.cfg.Lab.Currency,
		RunID:        runID,
		Now:          p.now(),
		UserLabel:    p.userLabel,
		GroupOf:      p.groupOf,
		PIOf:         p.piOf,
		HideJobNames: p.cfg.Privacy.HideJobNames,
		Equivalents:  p.equivalents,
		Visit:        visit,

		Catalog:          p.catalog.Version(),
		CatalogOverrides: p.catalog.Overridden(),
		SCIUnit:          p.cfg.Reports.SCIUnit,
	}
}

// recommender returns a rules engine for one period with the lab's
// thresholds, alternatives and time zone.
func (p *Pipeline) recommender() *recommend.Engine {
	loc, err := time.LoadLocation(p.cfg.Recommendations.Timezone)
	if err != nil {
		loc = time.UTC // the config checked it when it loaded
	}
	return recommend.New(p.model, p.resolver.Resolve, p.cfg.Thresholds(), recommend.Options{
		GroupOf: p.groupOf, Alternatives: p.cfg.Recommendations.Alternatives, Location: loc,
	})
}

// wordRecommendations names each recommendation's audience and words it
// with the templates.
func (p *Pipeline) wordRecommendations(recs []recommend.Recommendation) ([]report.Recommendation, error) {
	out := make([]report.Recommendation, len(recs))
	for i, r := range recs {
		w := report.Recommendation{Recommendation: r, Currency: p.cfg.Lab.Currency}
		switch r.Scope {
		case recommend.ScopeLab:
			w.Who = "the lab"
		case recommend.ScopeGroup:
			w.Who = r.Subject
			if pi := p.piOf(r.Subject); pi != "" {
				w.Who += " (PI " + pi + ")"
			}
		default:
			w.Who = p.userLabel(r.Subject)
		}
		var err error
		if w.Title, err = templates.Text(p.tmpl, "recommendation-title", w); err != nil {
			return nil, err
		}
		if w.Text, err = templates.Text(p.tmpl, "recommendation-text", w); err != nil {
			return nil, err
		}
		out[i] = w
	}
	return out, nil
}

// WriteReports writes the period's reports in the given formats into dir,
// each atomically, and returns their paths and the data they print, for
// the statements of the same period (nil if it could not be built).
//
// A workbook lists every job: its Jobs sheets are filled in the pass that
// builds the report, so the store's jobs are read once for all formats.
func (p *Pipeline) WriteReports(ctx context.Context, period labcarbon.Period, formats []string, dir string, runID int64) ([]string, *report.Data, error) {
	var once []string // each format written once, however often it is asked for
	for _, f := range formats {
		switch f {
		case "pdf", "xlsx", "csv", "json":
		default:
			return nil, nil, fmt.Errorf("unknown report format %q (want pdf, xlsx, csv or json)", f)
		}
		if !slices.Contains(once, f) {
			once = append(once, f)
		}
	}
	formats = once
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("report directory: %w", err)
	}
	var wb *xlsx.Workbook
	var also func(*labcarbon.Job)
	if slices.Contains(formats, "xlsx") {
		var err error
		wb, err = xlsx.New(xlsx.Options{
			Currency: p.cfg.Lab.Currency, GroupOf: p.groupOf, UserLabel: p.userLabel, HideJobNames: p.cfg.Privacy.HideJobNames,
		})
		if err != nil {
			return nil, nil, err
		}
		defer wb.Close() // after Write, a no-op; else it removes the temporary files
		also = wb.Add
	}
	d, err := p.buildReport(ctx, period, runID, also)
	if err != nil {
		return nil, nil, err
	}
	written, err := p.render(d, wb, formats, dir)
	return written, d, err
}

// render writes d in each format; the workbook wb has its jobs already.
func (p *Pipeline) render(d *report.Data, wb *xlsx.Workbook, formats []string, dir string) ([]string, error) {
	base := filepath.Join(dir, "labcarbon-"+safeName(d.Period.Label))
	var written []string
	for _, f := range formats {
		var path string
		var write func(io.Writer) error
		switch f {
		case "pdf":
			path, write = base+".pdf", func(w io.Writer) error { return pdf.Write(w, d) }
		case "xlsx":
			path, write = base+".xlsx", func(w io.Writer) error { return wb.Write(w, d) }
		default: // csv, json
			path = base + "-jobs." + f
			write = func(w io.Writer) error { return export.Jobs(w, export.Format(f), d) }
		}
		if err := atomicfile.Write(path, write); err != nil {
			return written, err
		}
		p.log.Info("report written", "file", path, "period", d.Period.Label)
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
