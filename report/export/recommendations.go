package export

import (
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"labcarbon/report"
)

// recommendationColumn is one column of the recommendations export: its
// name, its type (numbers stay numbers in JSON) and its value for one
// recommendation.
type recommendationColumn struct {
	name  string
	typ   series.Type
	value func(r *report.Recommendation) any
}

// recommendationColumns are the columns of --by recommendations, those of
// the workbook's Recommendations sheet in its order, with the currency
// the sheet names in its header as a column of its own. Texts are written
// as they are, as in the per-job export: the export is for scripts, which
// an escape would mislead; the workbook is what to open in a spreadsheet.
var recommendationColumns = []recommendationColumn{
	{"id", series.String, func(r *report.Recommendation) any { return r.ID }},
	{"scope", series.String, func(r *report.Recommendation) any { return string(r.Scope) }},
	{"for", series.String, func(r *report.Recommendation) any { return r.Who }},
	{"rule", series.String, func(r *report.Recommendation) any { return string(r.Rule) }},
	{"title", series.String, func(r *report.Recommendation) any { return r.Title }},
	{"jobs", series.Int, func(r *report.Recommendation) any { return r.Jobs }},
	{"saving_co2e_kg", series.Float, func(r *report.Recommendation) any { return r.SavingCO2eKg.Central }},
	{"saving_co2e_kg_low", series.Float, func(r *report.Recommendation) any { return r.SavingCO2eKg.Low }},
	{"saving_co2e_kg_high", series.Float, func(r *report.Recommendation) any { return r.SavingCO2eKg.High }},
	{"saving_operational_co2e_kg", series.Float, func(r *report.Recommendation) any { return r.OperationalCO2eKg }},
	{"saving_embodied_co2e_kg", series.Float, func(r *report.Recommendation) any { return r.EmbodiedCO2eKg }},
	{"saving_kwh", series.Float, func(r *report.Recommendation) any { return r.SavingKWh.Central }},
	{"saving_cost", series.Float, func(r *report.Recommendation) any { return r.SavingCost }},
	{"currency", series.String, func(r *report.Recommendation) any { return r.Currency }},
	{"co2e_kg", series.Float, func(r *report.Recommendation) any { return r.CO2eKg.Central }},
	{"text", series.String, func(r *report.Recommendation) any { return r.Text }},
}

// recommendationFrame is one row per recommendation, in the report's
// order: largest saving first.
func recommendationFrame(recs []report.Recommendation) dataframe.DataFrame {
	ss := make([]series.Series, len(recommendationColumns))
	for i, c := range recommendationColumns {
		values := make([]any, len(recs))
		for j := range recs {
			values[j] = c.value(&recs[j])
		}
		ss[i] = series.New(values, c.typ, c.name)
	}
	return dataframe.New(ss...)
}
