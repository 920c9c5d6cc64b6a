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
