package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/config"
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
//
// The periods the report is compared with are read beside the period's own
// pass, on connections of their own: with a full quarter before it, the
// previous period's pass and the store's sums of the year to date and of
// the year before cost as much again as the period's own pass.
func (p *Pipeline) buildReport(ctx context.Context, period labcarbon.Period, runID int64, also func(*labcarbon.Job)) (*report.Data, error) {
	// The side passes stop if this period's fails; this period's Data
	// keeps ctx, to list its jobs later.
	sideCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The year to date is this period's totals and the store's sum of the
	// year before it, less the jobs that ran across the two and count in
	// both. The store sums without reading the jobs, but still at the cost
	// of a pass in SQL, so the previous period's totals, read anyway, stand
	// for its part when it lies in the year.
	year := time.Date(period.To.Add(-time.Nanosecond).Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	ytdStartsHere := year.After(period.From) // the year begins inside the period
	prevPeriod := period.Previous()
	prevInYear := !ytdStartsHere && !prevPeriod.From.Before(year) && prevPeriod.To.Equal(period.From)
	var (
		wg          sync.WaitGroup
		prev        *report.Data
		prevShared  []recommend.Recommendation
		prevErr     error
		storeSum    store.Totals // the store's part of the year to date
		yearEarlier store.Totals
		sumsErr     error
	)
	wg.Go(func() {
		prev, prevShared, prevErr = p.previousPeriod(sideCtx, prevPeriod, runID)
	})
	wg.Go(func() {
		switch {
		case ytdStartsHere:
			storeSum, sumsErr = p.store.Totals(sideCtx, year, period.To)
		case prevInYear:
			storeSum, sumsErr = p.store.Totals(sideCtx, year, prevPeriod.From)
		default:
			storeSum, sumsErr = p.store.Totals(sideCtx, year, period.From)
		}
		if sumsErr == nil {
			ye := period.YearEarlier()
			yearEarlier, sumsErr = p.store.Totals(sideCtx, ye.From, ye.To)
		}
	})
	d, err := p.buildPeriod(ctx, period, runID, also)
	if err != nil {
		cancel()
	}
	wg.Wait()
	if err = cmp.Or(err, prevErr, sumsErr); err != nil {
		return nil, err
	}

	d.Previous = &report.Comparison{Period: prev.Period, Totals: prev.Totals}
	if prev.Totals.Jobs > 0 {
		var cur []recommend.Recommendation
		for _, r := range d.Recommendations {
			cur = append(cur, r.Recommendation)
		}
		d.Uptake = recommend.Realised(prevShared, cur)
		if d.PreviousRecommendations, err = p.wordRecommendations(prevShared); err != nil {
			return nil, err
		}
	}
	ytd := labcarbon.Period{Label: fmt.Sprintf("%d to date", year.Year()), From: year, To: period.To}
	sum := comparisonTotals(storeSum)
	if !ytdStartsHere {
		earlier := storeSum
		if prevInYear {
			earlier = earlier.Plus(storeTotals(prev.Totals))
		}
		sum = comparisonTotals(earlier.Plus(storeTotals(d.Totals)))
	}
	d.YearToDate = &report.Comparison{Period: ytd, Totals: sum}
	d.YearEarlier = &report.Comparison{Period: period.YearEarlier(), Totals: comparisonTotals(yearEarlier)}
	return d, nil
}

// buildPeriod is the pass over the period's own jobs: its figures, its
// summary and recommendations, and the inputs behind them.
func (p *Pipeline) buildPeriod(ctx context.Context, period labcarbon.Period, runID int64, also func(*labcarbon.Job)) (*report.Data, error) {
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
	return d, nil
}

// previousPeriod reads the period before a report's with the rules too, to
// tell what became of its recommendations: it returns the period's figures
// and its recommendations to groups and the lab.
func (p *Pipeline) previousPeriod(ctx context.Context, period labcarbon.Period, runID int64) (*report.Data, []recommend.Recommendation, error) {
	eng := p.recommender()
	d, err := report.Build(ctx, p.store, period, p.reportOptions(runID, eng.Add))
	if err != nil {
		return nil, nil, err
	}
	var shared []recommend.Recommendation
	for _, r := range eng.Recommendations() {
		if r.Scope != recommend.ScopeUser {
			shared = append(shared, r)
		}
	}
	return d, shared, nil
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

// storeTotals are a report's totals as the store sums them.
func storeTotals(t report.Totals) store.Totals {
	return store.Totals{Jobs: t.Jobs, RunningAtEnd: t.RunningAtEnd, EnergyKWh: t.EnergyKWh, CO2eKg: t.CO2eKg,
		EmbodiedCO2eKg: t.EmbodiedCO2eKg, Cost: t.Cost}
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
		JobUser:      p.jobUser,
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
		if err := config.CheckReportFormat(f); err != nil {
			return nil, nil, fmt.Errorf("report: %w", err)
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
			Currency: p.cfg.Lab.Currency, GroupOf: p.groupOf, JobUser: p.jobUser, HideJobNames: p.cfg.Privacy.HideJobNames,
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
