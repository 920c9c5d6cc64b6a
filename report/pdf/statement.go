package pdf

import (
	"fmt"
	"io"
	"math"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// statementMethod says in a paragraph how a statement's figures were made;
// the lab's report has the full method, the factors and their sources.
const statementMethod = "Energy follows the Green Algorithms model: the CPU time your jobs used, their GPUs and the memory " +
	"they requested, each at its hardware's power, times the data centre's PUE; where Slurm measured a job's energy, that " +
	"is used instead. CO₂e is that energy at the grid's carbon intensity where and when the jobs ran (location-based, " +
	"Scope 2). Embodied emissions share out the manufacture of the hardware your jobs held over its lifetime. Every factor " +
	"has a low, central and high value, which give the ranges. The lab's report gives the full method, every factor used " +
	"and its source."

// WriteStatement renders one researcher's statement for a period as a PDF
// document to w: their figures, trend, largest jobs and recommendations,
// and nothing of anyone else's.
func WriteStatement(w io.Writer, s *report.Statement) error {
	if s == nil {
		return fmt.Errorf("pdf: no statement")
	}
	doc := docInfo{
		lab: s.Lab, who: s.Name, period: s.Period, generated: s.Generated, runID: s.RunID, version: s.Version,
		title: "Computing carbon statement, " + s.Name + ", " + s.Lab + ", " + s.Period.Label,
	}
	f := newDocument(doc)
	f.AddPage()
	statement(newPage(f), s)
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: render statement %s: %w", s.Period.Label, err)
	}
	return output(f, w, doc)
}

// statement prints the statement: the opening text, the headline figures,
// the trend, the breakdown by partition, the largest jobs, the
// recommendations and how the figures were made.
func statement(p page, s *report.Statement) {
	y := p.kicker("PERSONAL COMPUTING CARBON STATEMENT", s.Name, periodLine(s.Period))
	if s.Group != "" {
		group := "Research group " + s.Group
		if s.PI != "" {
			group += " · PI " + s.PI
		}
		p.font("", 9)
		p.textColor(colMuted)
		p.text(marginX, y-4, contentW, 5, p.fit(group, contentW), "L")
		y += 3
	}
	p.f.SetY(y)
	for _, para := range s.Body {
		p.paragraph(para, 9.5, 4.6)
		p.gap(1.5)
	}
	t := s.Totals
	if t.Jobs == 0 {
		// The templates' opening says so when there is one.
		if len(s.Body) == 0 {
			p.paragraph("No jobs of yours ran in "+s.Period.Label+": there was nothing to account for this period.", 10, 5)
		}
		p.gap(4)
		p.trend(s)
	} else {
		p.gap(2)
		p.ensure(heroH + 2*tileH + 2*tileGap + 4)
		y = p.f.GetY()
		// The share of the lab takes the place of the market-based
		// figure, which a researcher cannot act on, beside the total.
		ss := append(beside(t)[:2:2], side{"Share of the lab's operational emissions", percent(s.LabShare), ""})
		p.hero("Your operational emissions · location-based, Scope 2", t, ss, y)
		p.f.SetY(p.tiles(statementTiles(t, s.Currency), y+heroH+tileGap, tileCols) + 2)
		p.equivalents("Your operational emissions are about as much as", s.Equivalents)
		p.trend(s)
		p.subheading("By partition", keep(p.rowTableHeight("Partition", s.ByPartition, t, s.Currency, keyLabel, true), 30))
		p.rowTable("Partition", s.ByPartition, t, s.Currency, keyLabel, true)
		p.topJobs(s.TopJobs)
		p.ownRecommendations(s)
	}
	// The method in a paragraph, not the report's formula and appendix,
	// keeps a statement to two pages.
	p.subheading("How these figures were made", 25)
	p.paragraph(statementMethod, 8.5, 4.2)
}

// statementTiles are a researcher's headline figures: what their jobs
// used and the three kinds of waste.
func statementTiles(t report.Totals, currency string) []tile {
	usage := usageTiles(t, currency)
	return append(usage[:4:4], usage[4],
		wastedTile(t),
		tile{"Memory beyond need", kgUnit.with(t.MemWasteCO2eKg) + " CO₂e",
			percent(share(t.MemWasteCO2eKg, t.CO2eKg.Central)) + " of the total, in it"},
		tile{"Idle allocated cores", report.Number(t.IdleCoreHours, 0) + " core-h",
			kgUnit.with(t.IdleCoreCO2eKg) + " CO₂e at full load"},
	)
}

// trendChartH is the height of a statement's trend chart.
const trendChartH = 36.0

// trend charts the researcher's CO2e over the periods of s.Trend, this one
// last, if any of them had jobs.
func (p page) trend(s *report.Statement) {
	var peak float64
	var empty bool
	for _, c := range s.Trend {
		peak = math.Max(peak, c.Totals.CO2eKg.High)
		empty = empty || c.Totals.Jobs == 0
	}
	if peak <= 0 {
		return
	}
	u := massUnit(peak)
	bars := make([]bar, len(s.Trend))
	for i, c := range s.Trend {
		r := c.Totals.CO2eKg
		bars[i] = bar{label: c.Period.Label, value: r.Central / u.div, low: r.Low / u.div, high: r.High / u.div}
	}
	p.subheading("Your emissions over recent periods", trendChartH+5)
	note := "Bars show the central estimate of your operational CO₂e; whiskers the low–high range."
	if empty {
		note += " A period without a bar had no jobs of yours."
	}
	p.note(note)
	y := p.f.GetY() + 1
	p.columnChart(marginX, y, contentW, trendChartH, bars, chart{unit: u.unit + " CO₂e", xTitle: "Period", fill: colBar})
	p.f.SetY(y + trendChartH + 3)
}

// topJobs lists a researcher's largest jobs with their efficiency.
func (p page) topJobs(jobs []labcarbon.Job) {
	if len(jobs) == 0 {
		return
	}
	cols := []column{
		{"Job", 20, "L"}, {"Cluster", 16, "L"}, {"Name", 36, "L"}, {"Partition", 18, "L"}, {"State", 22, "L"},
		{"Elapsed (h)", 14, "R"}, {"CO₂e (kg)", 16, "R"}, {"CPU use (%)", 18, "R"}, {"Memory use (%)", 18, "R"},
	}
	rows := make([][]string, len(jobs))
	for i, j := range jobs {
		rows[i] = []string{j.JobID, j.Cluster, orDash(j.Name), j.Partition, string(j.State),
			report.Number(float64(j.ElapsedSec)/3600, 1), kg(j.Result.CO2eKg.Central),
			efficiencyCell(j.Result.CPUEfficiency), efficiencyCell(j.Result.MemEfficiency)}
	}
	p.subheading("Your largest jobs", keep(p.tableHeight(cols, rows, nil)+5, 30))
	p.note("By operational CO₂e. Use is the share of the allocated cores kept busy and of the memory requested at the peak; – if not recorded.")
	p.gap(1)
	p.table(cols, rows, nil)
}

// efficiencyCell prints a share 0..1 as a percentage, or – for 0, which the
// results use for "not recorded".
func efficiencyCell(v float64) string {
	if v <= 0 {
		return "–"
	}
	return report.Number(100*v, 0)
}

// orDash prints s, or – where it is empty (a name the lab hides).
func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// ownRecommendations prints the researcher's recommendations with the jobs
// behind each. Only their own are printed, whatever else the statement
// was given, as a statement must show nothing of anyone else's.
func (p page) ownRecommendations(s *report.Statement) {
	var own []report.Recommendation
	for _, r := range s.Recommendations {
		if r.Scope == recommend.ScopeUser && r.Subject == s.User {
			own = append(own, r)
		}
	}
	p.subheading("What you could change", 30)
	if len(own) == 0 {
		p.paragraph("The rules found nothing to recommend for your jobs this period.", 9.5, 4.8)
		p.gap(3)
		return
	}
	// The jobs behind each in a line rather than a table, as the largest
	// jobs are listed above and a statement should keep to two pages.
	for _, r := range own {
		p.recommendation(r, false)
	}
}
