package pdf

import (
	"fmt"
	"strconv"

	"labcarbon/report"
)

// maxExclusions is how many exclusions the appendix lists; the workbook
// lists them all.
const maxExclusions = 50

// formula is the energy and emissions model as computed, set in mono so
// the terms line up.
var formula = []string{
	"E (kWh)   = PUE × ( CPU time (h) × W per core",
	"                  + elapsed (h) × GPUs × W per GPU × GPU use",
	"                  + elapsed (h) × requested memory (GB) × W per GB ) ÷ 1000",
	"",
	"CO₂e (kg) = E (kWh) × grid intensity (g CO₂e/kWh) ÷ 1000",
}

// method explains the terms of the formula and how ranges and waste are
// counted, one paragraph each.
var method = []string{
	"Energy follows the Green Algorithms model, so results on the same inputs and hardware reproduce GreenAlgorithms4HPC. CPU time is the time the job's processes used the CPUs (Slurm TotalCPU), or elapsed time × allocated cores where Slurm did not record it. GPU use is 1 unless the GPUs' utilisation was measured. Memory is the memory requested, in GB.",
	"Where Slurm measured a job's energy (ConsumedEnergyRaw) and the configuration trusts it, E is the measured energy × PUE and the job counts as measured.",
	"Grid intensity is location-based (GHG Protocol Scope 2): the hourly series of the grid zone over the hours the job ran where one is loaded, the zone's annual average for the year otherwise.",
	"Every factor has a low, central and high value. A job's low and high use the low and high factors; totals add the lows and the highs, the widest range the parts allow.",
	"Wasted emissions are the central CO₂e of jobs that started and then failed, timed out, ran out of memory, lost their node or were cancelled.",
}

// appendix prints the methodology, the factors used, the exclusions and
// the provenance of the data, for an auditor.
func appendix(p page, d *report.Data) {
	p.heading("Methodology and audit")

	p.subheading("How energy and emissions are computed", 30)
	p.formulaBlock()
	for _, para := range method {
		p.paragraph(para, 8.5, 4.2)
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

	p.subheading("Exclusions", 20)
	p.exclusions(d.Exclusions)
}

// formulaBlock prints the formula on a tinted panel.
func (p page) formulaBlock() {
	const lineH = 4.2
	h := float64(len(formula))*lineH + 4
	p.ensure(h + 2)
	y := p.f.GetY()
	p.box(marginX, y, contentW, h, colTile)
	p.box(marginX, y, 1.2, h, colPrimary)
	p.f.SetFont(mono, "", 8)
	p.textColor(colInk)
	for i, l := range formula {
		p.text(marginX+3, y+2+float64(i)*lineH, contentW-6, lineH, l, "L")
	}
	p.f.SetY(y + h + 3)
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
	if !d.Generated.IsZero() {
		rows = append(rows, []string{"Generated (UTC)", d.Generated.UTC().Format("2006-01-02 15:04:05")})
	}
	if d.Currency != "" {
		rows = append(rows, []string{"Currency of costs", d.Currency})
	}
	return append(rows, []string{"Jobs counted", count(d.Totals.Jobs)})
}
