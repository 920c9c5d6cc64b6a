package xlsx

import (
	"strings"

	"labcarbon/report"
)

// Sheets of the method and the data behind the figures, for an auditor.
const (
	sheetMethodology = "Methodology"
	sheetInputs      = "Inputs"
)

// methodWidth is the width, in characters, of the Methodology sheet's text
// column.
const methodWidth = 110

// methodology writes how the figures are made, in the words of the PDF's
// appendix, with the factor catalog's version and the lab's overrides.
func (b *book) methodology() error {
	d, s := b.d, b.st
	var rows [][]any
	add := func(topic, text string) { rows = append(rows, []any{topic, text}) }
	add("Formula", strings.Join(report.Formula, "\n"))
	for _, m := range report.Method {
		add("Method", m)
	}
	add("Market-based", report.MarketMethod)
	add("Embodied", report.EmbodiedMethod)
	for _, src := range d.EmbodiedSources {
		add("Embodied figures in use", src)
	}
	if d.Catalog != "" {
		add("Factor catalog version", d.Catalog)
	}
	for _, o := range d.CatalogOverrides {
		add("Lab's factor override", o)
	}
	if err := b.table(sheetMethodology, "Methodology", []column{
		{"Topic", 24, s.text},
		{"How", methodWidth, s.wrapped},
	}, rows); err != nil {
		return err
	}
	for i, r := range rows {
		text := r[1].(string)
		lines := 0
		for _, l := range strings.Split(text, "\n") {
			lines += wrappedLines(l, methodWidth-4)
		}
		if err := b.f.SetRowHeight(sheetMethodology, i+2, wrappedHeight(lines)); err != nil {
			return err
		}
	}
	return nil
}

// inputs lists every file and sacct window the store's data came from, as
// last read, with its SHA-256.
func (b *book) inputs() error {
	s := b.st
	names := make([]string, len(b.d.Inputs))
	values := make([][]any, len(b.d.Inputs))
	for i, in := range b.d.Inputs {
		names[i] = in.Name
		values[i] = []any{in.Name, in.Format, in.Jobs, in.Bad, in.SHA256, in.RunID, timeOrNil(in.Read)}
	}
	return b.table(sheetInputs, "Inputs", []column{
		{"Input", textWidth("Input", names), s.text},
		{"Format", 16, s.text},
		{"Jobs (count)", 12, s.count},
		{"Bad rows (count)", 12, s.count},
		{"SHA-256", 66, s.text},
		{"Run", 8, s.count},
		{"Read (UTC)", 18, s.datetime},
	}, values)
}
