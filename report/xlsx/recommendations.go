package xlsx

import (
	"labcarbon/compute/recommend"
)

// Widths, in characters, of the wrapped columns of the Recommendations
// sheet: a title on a line or two, a text as a short paragraph.
const (
	recTitleWidth = 40
	recTextWidth  = 90
)

// recommendations writes every recommendation of the period, for the lab,
// each group and each researcher, largest saving first: this workbook is
// the lab's, so a PI filters the For column to their group, and Who is
// already a pseudonym where the lab asks for one.
func (b *book) recommendations() error {
	recs := b.d.Recommendations
	whos := make([]string, len(recs))
	rules := make([]string, len(recs))
	values := make([][]any, len(recs))
	for i, r := range recs {
		whos[i], rules[i] = r.Who, string(r.Rule)
		values[i] = []any{
			r.ID, string(r.Scope), r.Who, string(r.Rule), r.Title, r.Jobs,
			num(r.SavingCO2eKg.Central), num(r.SavingCO2eKg.Low), num(r.SavingCO2eKg.High),
			num(r.OperationalCO2eKg), num(r.EmbodiedCO2eKg),
			num(r.SavingKWh.Central), num(r.SavingCost), num(r.CO2eKg.Central), r.Text,
		}
	}
	s := b.st
	if err := b.table(sheetRecommendations, "Recommendations", []column{
		{"ID", 12, s.text},
		{"Scope", 8, s.text},
		{"For", textWidth("For", whos), s.text},
		{"Rule", textWidth("Rule", rules), s.text},
		{"Title", recTitleWidth, s.wrapped},
		{"Jobs", 10, s.count},
		{"Saving CO2e (kg)", 12, s.dec2},
		{"Saving CO2e low (kg)", 12, s.dec2},
		{"Saving CO2e high (kg)", 12, s.dec2},
		{"Of which operational (kg)", 12, s.dec2},
		{"Of which embodied (kg)", 12, s.dec2},
		{"Saving energy (kWh)", 12, s.dec1},
		{b.money("Saving"), 12, s.dec2},
		{"CO2e of the jobs concerned (kg)", 14, s.dec2},
		{"Recommendation", recTextWidth, s.wrapped},
	}, values); err != nil {
		return err
	}
	for i, r := range recs {
		// A little under a character per unit of width, as for the
		// Summary's paragraphs.
		lines := max(wrappedLines(r.Title, recTitleWidth-4), wrappedLines(r.Text, recTextWidth-4))
		if err := b.f.SetRowHeight(sheetRecommendations, i+2, wrappedHeight(lines)); err != nil {
			return err
		}
	}
	return nil
}

// uptake writes what became of the previous period's lab and group
// recommendations.
func (b *book) uptake() error {
	ran := map[string]bool{}
	for _, g := range b.d.ByGroup {
		ran[g.Key] = g.Jobs > 0
	}
	whos := make([]string, len(b.d.Uptake))
	values := make([][]any, len(b.d.Uptake))
	for i, u := range b.d.Uptake {
		p := u.Previous
		who, title, made, note := p.Subject, "", "no", ""
		if i < len(b.d.PreviousRecommendations) && b.d.PreviousRecommendations[i].ID == p.ID {
			who, title = b.d.PreviousRecommendations[i].Who, b.d.PreviousRecommendations[i].Title
		}
		switch {
		case u.Present:
			made = "yes"
		case p.Scope == recommend.ScopeLab && b.d.Totals.Jobs == 0,
			p.Scope == recommend.ScopeGroup && !ran[p.Subject]:
			// recommend.Realised counts it as realised either way; say
			// which it was.
			note = "no jobs this period"
		}
		whos[i] = who
		values[i] = []any{
			p.ID, string(p.Rule), who, title,
			num(p.SavingCO2eKg.Central), num(u.Current.Central), num(u.RealisedCO2eKg.Central), made, note,
		}
	}
	s := b.st
	return b.table(sheetUptake, "Uptake", []column{
		{"ID", 12, s.text},
		{"Rule", 18, s.text},
		{"For", textWidth("For", whos), s.text},
		{"Title", 60, s.text},
		{"Saving CO2e then (kg)", 12, s.dec2},
		{"Saving CO2e now (kg)", 12, s.dec2},
		{"Realised (kg)", 12, s.dec2},
		{"Still made", 9, s.text},
		{"Note", 20, s.text},
	}, values)
}
