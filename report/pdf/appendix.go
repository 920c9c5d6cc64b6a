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
	"",
	"Embodied  = kg CO₂e per node-hour × share of a node held × elapsed (h)",
}

// method explains the terms of the formula and how ranges and waste are
// counted, one paragraph each.
var method = []string{
	"Energy follows the Green Algorithms model, so results on the same inputs and hardware reproduce GreenAlgorithms4HPC. CPU time is the time the job's processes used the CPUs (Slurm TotalCPU), or elapsed time × allocated cores where Slurm did not record it. GPU use is 1 unless the GPUs' utilisation was measured. Memory is the memory requested, in GB.",
	"Where Slurm measured a job's energy (ConsumedEnergyRaw) and the configuration trusts it, E is the measured energy × PUE and the job counts as measured.",
	"Grid intensity is location-based (GHG Protocol Scope 2). Where an hourly series of the grid zone is loaded, a job's intensity is the series integrated over the hours it ran, each hour weighted by the seconds the job ran in it (its energy taken as spread evenly over its run); hours the series lacks count at the zone's annual average for the year, as do jobs with no series.",
	"Every factor has a low, central and high value. A job's low and high use the low and high factors; totals add the lows and the highs, the widest range the parts allow.",
	"Wasted emissions are the central CO₂e of jobs that started and then failed, timed out, ran out of memory, lost their node or were cancelled.",
	"Memory waste follows Green Algorithms: the memory a job needed is its peak rounded up to the next multiple of the lab's request granularity (an exact multiple still rounds up), never more than it asked for; the CO₂e of the memory requested beyond that is its waste. It is part of the total, since the model charges requested memory; jobs whose peak Slurm did not record count none.",
	"Idle allocated cores are elapsed time × allocated cores − CPU time used. The model charges the CPU time used, as Green Algorithms does, so the idle core-hours' CO₂e, at the per-core power at full load × PUE × the job's intensity, is what the allocation would cost at full load: shown beside the total, never added to it. Jobs whose CPU time Slurm did not record count none.",
}

// embodiedMethod explains the embodied (Scope 3) figures; the sources in
// use follow it.
const embodiedMethod = "Embodied emissions (Scope 3) follow Cloud Carbon Footprint's method with Teads' server figures: a node's manufacturing emissions (the server, extra sockets, memory beyond the base, one SSD and its GPUs) spread over its lifetime give kg CO₂e per node-hour. A job is charged that × the share of a node it held (the largest of its shares of the node's cores, GPUs and memory, times its node count; a whole node where the node type gives none of them) × its elapsed hours. The low figure takes the low emissions over the longest lifetime, the high the high over the shortest. Embodied CO₂e is reported beside the operational total, and added to it only in the total including embodied."

// marketMethod explains the market-based Scope 2 figure.
const marketMethod = "Market-based Scope 2 (GHG Protocol Scope 2 Guidance) counts a job's energy at its site's market-based factor — the supplier's mix or a renewable contract, from the lab's configuration — where the site has one, and at the location-based intensity elsewhere. It is reported beside the location-based figure, not instead of it."

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
	p.paragraph(marketMethod+" "+marketCoverage(d.Totals), 8.5, 4.2)
	p.gap(1.5)
	p.paragraph(embodiedMethod, 8.5, 4.2)
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

// formulaBlock prints the formula on a tinted panel.
func (p page) formulaBlock() {
	const lineH = 4.2
	h := float64(len(formula))*lineH + 4
	p.ensure(h + 2)
	y := p.f.GetY()
	p.box(marginX, y, contentW, h, colTile)
	p.box(marginX, y, 1.2, h, colPrimary)
	p.monoFont(8)
	p.textColor(colInk)
	for i, l := range formula {
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
