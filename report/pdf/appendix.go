package pdf

import (
	"fmt"
	"strconv"

	"labcarbon/report"
)

// maxExclusions is how many exclusions the appendix lists; the workbook
// lists them all.
const maxExclusions = 50

// appendix prints the methodology, the factors used, the exclusions and
// the provenance of the data, for an auditor.
func appendix(p page, d *report.Data) {
	p.heading("Methodology and audit")

	p.subheading("How energy and emissions are computed", 30)
	p.formulaBlock()
	for _, para := range report.Method {
		p.paragraph(para, 8.5, 4.2)
		p.gap(1.5)
	}
	p.paragraph(report.MarketMethod+" "+marketCoverage(d.Totals), 8.5, 4.2)
	p.gap(1.5)
	p.paragraph(report.EmbodiedMethod, 8.5, 4.2)
	p.gap(1.5)
	if len(d.EmbodiedSources) > 0 {
		p.note("Embodied figures in use (each node type's in the factors below):")
		for _, src := range d.EmbodiedSources {
			p.paragraph("• "+src, 8, 4)
		}
		p.gap(1.5)
	}

	p.subheading("Factors used", 20)
	rows := make([][]string, len(d.Factors))
	for i, f := range d.Factors {
		rows[i] = []string{f.Name, f.Value, f.Source, count(f.Jobs)}
	}
	p.table([]column{
		{"Factor", 50, "L"}, {"Value (unit)", 38, "L"}, {"Source", 72, "L"}, {"Jobs (count)", 18, "R"},
	}, rows, nil)

	rows = about(d)
	p.subheading("About this report", keep(float64(len(rows)+1)*(tableLineH+2*tablePadV), 30))
	p.table([]column{{"Item", 50, "L"}, {"Value", 128, "L"}}, rows, nil)

	p.inputs(d.Inputs)

	p.subheading("Exclusions", 20)
	p.exclusions(d.Exclusions)
}

// marketCoverage says how much of this period the market-based figure
// covered.
func marketCoverage(t report.Totals) string {
	if t.MarketShare == 0 {
		return "No site had a market-based factor in this period, so the report prints no market-based figure."
	}
	return "In this period market-based factors covered " + percent(t.MarketShare) + " of the energy."
}

// formulaBlock prints the formula on a tinted panel, in mono so its terms
// line up.
func (p page) formulaBlock() {
	const lineH = 4.2
	h := float64(len(report.Formula))*lineH + 4
	p.ensure(h + 2)
	y := p.f.GetY()
	p.box(marginX, y, contentW, h, colTile)
	p.box(marginX, y, 1.2, h, colPrimary)
	p.monoFont(8)
	p.textColor(colInk)
	for i, l := range report.Formula {
		p.text(marginX+3, y+2+float64(i)*lineH, contentW-6, lineH, l, "L")
	}
	p.f.SetY(y + h + 3)
}

// maxInputs is how many inputs the appendix lists; the workbook and
// `labcarbon runs` have them all.
const maxInputs = 20

// inputs lists the data behind the report: each input as last read, with
// its hash, so that an auditor can match it to the file.
func (p page) inputs(in []report.Input) {
	if len(in) == 0 {
		return
	}
	shown := in[:min(len(in), maxInputs)]
	p.subheading("Inputs", keep(float64(len(shown)+1)*(tableLineH+2*tablePadV), 30))
	if len(in) > len(shown) {
		p.note(fmt.Sprintf("The %s inputs read last, of %s; `labcarbon runs` lists every run and its inputs.", count(len(shown)), count(len(in))))
		p.gap(1)
	}
	rows := make([][]string, len(shown))
	for i, x := range shown {
		hash := x.SHA256
		if len(hash) > 16 {
			hash = hash[:16] + "…"
		}
		rows[i] = []string{x.Name, x.Format, count(x.Jobs), count(x.Bad), hash, strconv.FormatInt(x.RunID, 10)}
	}
	p.table([]column{
		{"Input", 60, "L"}, {"Format", 22, "L"}, {"Jobs", 16, "R"}, {"Bad rows", 18, "R"}, {"SHA-256", 48, "L"}, {"Run", 14, "R"},
	}, rows, nil)
}

// exclusions lists the first exclusions and counts the rest.
func (p page) exclusions(ex []report.Exclusion) {
	if len(ex) == 0 {
		p.paragraph("No records were excluded.", 9, 4.5)
		return
	}
	p.note(fmt.Sprintf("%s records or classes of records were left out of the figures.", count(len(ex))))
	p.gap(1)
	shown := ex[:min(len(ex), maxExclusions)]
	rows := make([][]string, len(shown))
	for i, e := range shown {
		// A line number is an address to look up, printed as the file has
		// it, without thousands separators.
		line := ""
		if e.Line > 0 {
			line = strconv.Itoa(e.Line)
		}
		rows[i] = []string{e.File, line, e.Field, e.Reason}
	}
	p.table([]column{
		{"File", 50, "L"}, {"Line", 14, "R"}, {"Field", 26, "L"}, {"Reason", 88, "L"},
	}, rows, nil)
	if rest := len(ex) - len(shown); rest > 0 {
		p.note(fmt.Sprintf("… and %s more, listed in full in the workbook's Exclusions sheet.", count(rest)))
	}
}

// about lists the provenance of the figures.
func about(d *report.Data) [][]string {
	rows := [][]string{
		{"Lab", d.Lab},
		{"Period", periodLine(d.Period)},
	}
	if !d.Period.From.IsZero() {
		rows = append(rows,
			[]string{"From (UTC, inclusive)", d.Period.From.UTC().Format("2006-01-02 15:04")},
			[]string{"To (UTC, exclusive)", d.Period.To.UTC().Format("2006-01-02 15:04")})
	}
	rows = append(rows,
		[]string{"Run id", strconv.FormatInt(d.RunID, 10)},
		[]string{"labcarbon version", d.Version},
	)
	if d.Catalog != "" {
		rows = append(rows, []string{"Factor catalog version", d.Catalog})
	}
	for _, o := range d.CatalogOverrides {
		rows = append(rows, []string{"Lab's factor override", o})
	}
	if !d.Generated.IsZero() {
		rows = append(rows, []string{"Generated (UTC)", d.Generated.UTC().Format("2006-01-02 15:04:05")})
	}
	if d.Currency != "" {
		rows = append(rows, []string{"Currency of costs", d.Currency})
	}
	return append(rows, []string{"Jobs counted", count(d.Totals.Jobs)})
}
