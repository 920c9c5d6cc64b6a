package pdf

import (
	"cmp"
	"fmt"
	"slices"

	"labcarbon/report"
)

// Breakdown limits: the share charts show the largest few and fold the rest
// into one bar; the users table shows the top few only.
const (
	chartBars = 10
	topUsers  = 15
)

// breakdowns prints who and what emitted: groups, clusters (when there
// are several), partitions and node types as share charts with full
// tables, the top users, and job states.
func breakdowns(p page, d *report.Data) {
	p.heading("Breakdowns")
	if len(d.ByGroup)+len(d.ByPartition)+len(d.ByUser)+len(d.ByState) == 0 {
		p.paragraph("No jobs ran in this period.", 10, 5)
		return
	}
	// Groups are where the lab reports its Software Carbon Intensity.
	p.shareSection("By research group", "Group", "groups", d.ByGroup, d, d.SCIUnit)
	// One cluster's breakdown would repeat the totals.
	if len(d.ByCluster) > 1 {
		p.shareSection("By cluster", "Cluster", "clusters", d.ByCluster, d, "")
	}
	p.shareSection("By partition", "Partition", "partitions", d.ByPartition, d, "")
	p.shareSection("By node type", "Node type", "node types", d.ByNodeType, d, "")

	users := byCO2e(d.ByUser)
	top := users[:min(topUsers, len(users))]
	var topShare float64
	for _, u := range top {
		topShare += u.Share
	}
	p.subheading("Top users", keep(p.rowTableHeight("User", top, d.Totals, d.Currency, keyLabel, false)+6, 30))
	if len(top) < len(users) {
		p.note(fmt.Sprintf("The %s users with the largest emissions, of %s; together %s of the period's CO₂e.",
			count(len(top)), count(len(users)), percent(topShare)))
	} else {
		p.note(fmt.Sprintf("All %s users, largest emissions first.", count(len(users))))
	}
	p.gap(1)
	p.rowTable("User", top, d.Totals, d.Currency, keyLabel, false)

	states := byCO2e(d.ByState)
	p.subheading("By job state", keep(p.rowTableHeight("State", states, d.Totals, d.Currency, keyLabel, true)+6, 30))
	p.note("Energy spent on jobs that started and then failed, timed out, ran out of memory, lost their node or were cancelled counts as wasted.")
	p.gap(1)
	p.rowTable("State", states, d.Totals, d.Currency, keyLabel, true)
}

// shareSection prints a breakdown as a share chart over its full table,
// kept on one page when they fit on one; the table has a column of each
// row's SCI per sciUnit unless that is "".
func (p page) shareSection(title, key, noun string, rows []report.Row, d *report.Data, sciUnit string) {
	bars := shareBars(rows, noun)
	chartH := shareChartHeight(len(bars))
	cols, cells, total := rowTableCells(key, rows, d.Totals, d.Currency, keyLabel, true)
	if sciUnit != "" {
		cols, cells, total = withSCI(cols, cells, total, rows, totalRow(d.Totals, rows), sciUnit)
	}
	p.subheading(title, keep(chartH+p.tableHeight(cols, cells, total), chartH+30))
	p.shareChart(bars)
	p.tableOrNone(cols, cells, total)
}

// byCO2e returns rows sorted by central CO2e, largest first, leaving the
// caller's slice as it was; ties keep their order so output is stable.
func byCO2e(rows []report.Row) []report.Row {
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b report.Row) int {
		return cmp.Compare(b.CO2eKg.Central, a.CO2eKg.Central)
	})
	return sorted
}

// shareBars turns the largest rows into chart bars and folds the rest into
// one "other" bar, so a long tail does not squeeze the chart.
func shareBars(rows []report.Row, noun string) []shareBar {
	rows = byCO2e(rows)
	var total float64
	for _, r := range rows {
		total += r.CO2eKg.Central
	}
	u := massUnit(total)
	bar := func(label string, s, kg float64) shareBar {
		return shareBar{label: label, share: s, note: percent(s) + " · " + u.with(kg)}
	}
	var bars []shareBar
	for i, r := range rows {
		if i == chartBars-1 && len(rows) > chartBars {
			var s, kg float64
			for _, o := range rows[i:] {
				s, kg = s+o.Share, kg+o.CO2eKg.Central
			}
			return append(bars, bar(fmt.Sprintf("%s other %s", count(len(rows)-i), noun), s, kg))
		}
		bars = append(bars, bar(rowLabel(r, keyLabel), r.Share, r.CO2eKg.Central))
	}
	return bars
}
