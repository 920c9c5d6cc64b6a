package pdf

import (
	"strings"

	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// Uptake statuses, as the table prints them.
const (
	upTaken   = "taken up"
	upPartly  = "partly taken up"
	upOpen    = "still open"
	upNoJobs  = "no jobs this period"
	upNoValue = "–"
)

// uptake prints what became of the previous period's lab and group
// recommendations: which are no longer made, which are made with a
// smaller saving and which stand as they were, with the saving realised.
func (p page) uptake(d *report.Data) {
	p.subheading("Last period's recommendations", 20)
	prev := "the previous period"
	if d.Previous != nil && d.Previous.Period.Label != "" {
		prev = d.Previous.Period.Label
	}
	switch {
	case d.Previous != nil && d.Previous.Totals.Jobs == 0:
		p.paragraph("No data for "+prev+": the store holds no jobs for it, so there are no earlier recommendations to follow up.", 9.5, 4.8)
		return
	case len(d.Uptake) == 0:
		p.paragraph("The report for "+prev+" made no recommendations to the lab or its groups.", 9.5, 4.8)
		return
	}
	cols := []column{
		{"Recommendation", 46, "L"}, {"For", 34, "L"}, {"Saving then (kg CO₂e)", 18, "R"}, {"Saving now (kg CO₂e)", 18, "R"},
		{"Status", 26, "L"}, {"Realised (kg CO₂e)", 18, "R"}, {"Realised (kWh)", 18, "R"},
	}
	rows := make([][]string, len(d.Uptake))
	tally := map[string]int{}
	for i, u := range d.Uptake {
		status := uptakeStatus(u, d)
		tally[status]++
		realised, kwh := kg(u.RealisedCO2eKg.Central), kg(u.RealisedKWh.Central)
		if status == upNoJobs {
			// Nothing ran, so nothing was realised; the saving only
			// disappeared with the work.
			realised, kwh = upNoValue, upNoValue
		}
		title, who := worded(i, u, d)
		rows[i] = []string{title, who, kg(u.Previous.SavingCO2eKg.Central), kg(u.Current.Central), status, realised, kwh}
	}
	var parts []string
	for _, s := range []string{upTaken, upPartly, upOpen, upNoJobs} {
		if n := tally[s]; n > 0 {
			parts = append(parts, count(n)+" "+s)
		}
	}
	p.note("Of the " + count(len(d.Uptake)) + " recommendations made to the lab and its groups for " + prev + ": " +
		strings.Join(parts, ", ") + ". Taken up means no longer made; partly, made again with a smaller saving. " +
		"The saving realised is how much the saving shrank, if the work is comparable between the periods.")
	p.gap(1)
	p.table(cols, rows, nil)
}

// uptakeStatus says what became of a previous recommendation. One no longer
// made because its subject ran nothing is not one taken up.
func uptakeStatus(u recommend.Uptake, d *report.Data) string {
	switch {
	case !u.Present && idle(u.Previous, d):
		return upNoJobs
	case !u.Present:
		return upTaken
	case u.RealisedCO2eKg.Central > 0:
		return upPartly
	}
	return upOpen
}

// idle reports whether a recommendation's subject ran no jobs this period.
func idle(r recommend.Recommendation, d *report.Data) bool {
	if r.Scope == recommend.ScopeGroup {
		for _, g := range d.ByGroup {
			if g.Key == r.Subject {
				return g.Jobs == 0
			}
		}
		return true
	}
	return d.Totals.Jobs == 0
}

// worded names the i-th previous recommendation and its audience as the
// previous period's report worded them; without that wording, by its rule
// and subject.
func worded(i int, u recommend.Uptake, d *report.Data) (title, who string) {
	if i < len(d.PreviousRecommendations) && d.PreviousRecommendations[i].ID == u.Previous.ID {
		return d.PreviousRecommendations[i].Title, d.PreviousRecommendations[i].Who
	}
	if u.Previous.Scope == recommend.ScopeLab {
		return string(u.Previous.Rule), "the lab"
	}
	return string(u.Previous.Rule), u.Previous.Subject
}
