package pdf

import (
	"fmt"
	"math"
	"strings"

	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// recommendationsIntro says what a saving is, once, before the lab's and
// groups' recommendations.
const recommendationsIntro = "What the rules suggest the lab and its research groups change, largest saving first. " +
	"Each saving is what the period's jobs would have emitted less had they run as suggested, from the same model " +
	"re-run on the changed jobs; where several changes touch one job their savings are scaled so none is counted twice. " +
	"A group's saving is part of the lab's for the same change, so the two do not add up."

// recommendations prints the lab's recommendations with their evidence,
// then each group's, then what became of the previous period's. User-scope
// recommendations belong to the researchers' own statements and are left
// out.
func recommendations(p page, d *report.Data) {
	p.heading("Recommendations")
	p.paragraph(recommendationsIntro, 9.5, 4.8)
	p.gap(2)
	lab, groups := byScope(d.Recommendations)
	if len(lab)+len(groups) == 0 {
		p.paragraph("The rules found nothing to recommend to the lab or its groups this period.", 10, 5)
		p.gap(2)
	}
	if len(lab) > 0 {
		p.subheading("For the lab", 40)
		for _, r := range lab {
			p.recommendation(r, true)
		}
	}
	if len(groups) > 0 {
		p.subheading("For the research groups", 40)
		for _, g := range groups {
			p.ensure(40)
			p.font("B", 10)
			p.textColor(colPrimary)
			p.f.SetX(marginX)
			p.multiCell(contentW, 5.5, g[0].Who)
			p.gap(1)
			for _, r := range g {
				p.recommendation(r, false)
			}
		}
	}
	p.uptake(d)
}

// byScope returns the lab's recommendations and the groups', the latter
// gathered by audience, each group where its largest saving puts it; the
// order within each is the order given, largest saving first.
func byScope(recs []report.Recommendation) (lab []report.Recommendation, groups [][]report.Recommendation) {
	at := map[string]int{}
	for _, r := range recs {
		switch r.Scope {
		case recommend.ScopeLab:
			lab = append(lab, r)
		case recommend.ScopeGroup:
			i, ok := at[r.Who]
			if !ok {
				i = len(groups)
				at[r.Who] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], r)
		}
	}
	return lab, groups
}

// topRecommendations picks the n recommendations with the largest savings
// the cover shows: the lab's first, since they are the widest changes,
// then the groups'.
func topRecommendations(recs []report.Recommendation, n int) []report.Recommendation {
	var lab, group []report.Recommendation
	for _, r := range recs {
		switch r.Scope {
		case recommend.ScopeLab:
			lab = append(lab, r)
		case recommend.ScopeGroup:
			group = append(group, r)
		}
	}
	out := lab[:min(n, len(lab))]
	return append(out, group[:min(n-len(out), len(group))]...)
}

// kgUnit prints masses in kilograms whatever their size, for lines and
// cells that compare several.
var kgUnit = scaled{1, "kg"}

// recommendation prints one recommendation: its title, its worded text,
// its saving split between operational and embodied emissions, and the
// jobs behind it, as a table when evidence is set and in a line otherwise.
func (p page) recommendation(r report.Recommendation, evidence bool) {
	cols, rows := examplesTable(r.Examples)
	need := 28.0
	if evidence && len(rows) > 0 {
		need += p.tableHeight(cols, rows, nil)
	}
	p.ensure(keep(need, 30))
	p.font("B", 10.5)
	p.textColor(colInk)
	p.f.SetX(marginX)
	p.multiCell(contentW, 5.5, r.Title)
	p.gap(0.5)
	p.paragraph(r.Text, 9, 4.5)
	p.gap(0.5)
	p.note(savingLine(r))
	if len(rows) > 0 {
		p.gap(1)
		if evidence {
			p.table(cols, rows, nil)
		} else {
			p.note(examplesLine(r.Examples))
		}
	}
	p.gap(3)
}

// savingLine says what a recommendation saves, and how its central CO2e
// splits between operational and embodied emissions.
func savingLine(r report.Recommendation) string {
	return fmt.Sprintf("Saving %s, of which %s operational and %s embodied CO₂e. The %s jobs it concerns emitted %s CO₂e.",
		savingFigures(r), kgUnit.with(r.OperationalCO2eKg), kgUnit.with(r.EmbodiedCO2eKg),
		count(r.Jobs), kgUnit.with(r.CO2eKg.Central))
}

// examplesTable lists the jobs behind a recommendation by cluster and job
// id, never by user: the lab's report may pseudonymise its users, and a
// login beside a job would undo that.
func examplesTable(xs []recommend.Example) ([]column, [][]string) {
	cols := []column{
		{"Cluster", 18, "L"}, {"Job", 20, "L"}, {"Partition", 18, "L"}, {"State", 22, "L"},
		{"Elapsed (h)", 14, "R"}, {"Change", 38, "L"}, {"Job CO₂e (kg)", 16, "R"},
		{"Saving (kg CO₂e)", 16, "R"}, {"Saving (kWh)", 16, "R"},
	}
	rows := make([][]string, len(xs))
	for i, x := range xs {
		rows[i] = []string{x.Cluster, x.JobID, x.Before.Partition, string(x.State),
			report.Number(float64(x.ElapsedSec)/3600, 1), settingChange(x.Before, x.After),
			kg(x.CO2eKg), kg(x.SavingCO2eKg), kg(x.SavingKWh)}
	}
	return cols, rows
}

// examplesLine names the jobs behind a recommendation in one line, where a
// table would make a group's section too long.
func examplesLine(xs []recommend.Example) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%s %s (%s: saves %s CO₂e)", x.Cluster, x.JobID, settingChange(x.Before, x.After), kgUnit.with(x.SavingCO2eKg))
	}
	return "Largest jobs behind it: " + strings.Join(parts, "; ") + "."
}

// settingChange says what a rule changes about a job, from what differs
// between how it ran and how the rule would run it; the zero setting is a
// run not made at all.
func settingChange(before, after recommend.Setting) string {
	if after == (recommend.Setting{}) {
		return "not run again"
	}
	var out []string
	if before.Cluster != after.Cluster || before.Partition != after.Partition {
		from, to := before.Partition, after.Partition
		if before.Cluster != after.Cluster {
			from, to = before.Cluster+"/"+from, after.Cluster+"/"+to
		}
		out = append(out, "partition "+from+" → "+to)
	}
	if before.CPUs != after.CPUs {
		out = append(out, "cores "+count(before.CPUs)+" → "+count(after.CPUs))
	}
	if before.GPUs != after.GPUs {
		out = append(out, "GPUs "+count(before.GPUs)+" → "+count(after.GPUs))
	}
	if before.MemReqGB != after.MemReqGB {
		out = append(out, "memory "+gb(before.MemReqGB)+" → "+gb(after.MemReqGB)+" GB")
	}
	if !before.Start.Equal(after.Start) {
		const at = "2 Jan 15:04"
		out = append(out, "start "+before.Start.UTC().Format(at)+" → "+after.Start.UTC().Format(at)+" UTC")
	}
	if len(out) == 0 {
		return "as run"
	}
	return strings.Join(out, "; ")
}

// gb prints a memory size in GB: whole, as requests usually are, or to a
// tenth.
func gb(v float64) string {
	if v == math.Trunc(v) {
		return report.Number(v, 0)
	}
	return report.Number(v, 1)
}
