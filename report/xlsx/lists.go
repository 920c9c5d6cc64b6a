package xlsx

// factors writes the factors the period's results used, with their sources.
func (b *book) factors() error {
	names := make([]string, len(b.d.Factors))
	values := make([][]any, len(b.d.Factors))
	for i, f := range b.d.Factors {
		names[i] = f.Name
		values[i] = []any{f.Name, f.Value, f.Source, f.Jobs}
	}
	s := b.st
	return b.table(sheetFactors, "Factors", []column{
		{"Factor", textWidth("Factor", names), s.text},
		{"Value (with unit and low–high range)", 28, s.text},
		{"Source", 60, s.text},
		{"Jobs (count)", 12, s.count},
	}, values)
}

// equivalents writes the period's operational CO2e in every familiar
// quantity of the factor catalog, each with the figure it divides by and
// its source, so a reader can pick the one that speaks to their audience.
func (b *book) equivalents() error {
	names := make([]string, len(b.d.Equivalents))
	values := make([][]any, len(b.d.Equivalents))
	for i, e := range b.d.Equivalents {
		names[i] = e.Name
		values[i] = []any{e.Name, num(e.Count), num(e.GramsPerUnit), e.Source, e.Key}
	}
	s := b.st
	return b.table(sheetEquivalents, "Equivalents", []column{
		{"Equivalent of the operational CO2e", textWidth("Equivalent of the operational CO2e", names), s.text},
		{"Count", 14, s.dec2},
		{"CO2e per unit (g)", 14, s.dec1},
		{"Source", 60, s.text},
		{"Key", 20, s.text},
	}, values)
}

// exclusions writes every record or class of records left out at ingest.
func (b *book) exclusions() error {
	files := make([]string, len(b.d.Exclusions))
	values := make([][]any, len(b.d.Exclusions))
	for i, e := range b.d.Exclusions {
		files[i] = e.File
		var line any
		if e.Line > 0 {
			line = e.Line
		}
		values[i] = []any{e.File, line, e.Field, e.Reason}
	}
	s := b.st
	return b.table(sheetExclusions, "Exclusions", []column{
		{"File", textWidth("File", files), s.text},
		{"Line", 10, s.count},
		{"Field", 16, s.text},
		{"Reason", 70, s.text},
	}, values)
}
