package pdf

// column is one column of a table: its title (with the unit), its width in
// millimetres and how its cells align ("L" or "R").
type column struct {
	title string
	width float64
	align string
}

// Table type sizes, in points and millimetres.
const (
	tableFont   = 7.5
	tableLineH  = 3.6
	tablePadV   = 1.1
	maxCellRows = 6 // a cell longer than this is cut with an ellipsis
)

// table prints rows under a header that repeats at the top of every page the
// table spans. Cells wrap within their column; total, if not nil, is a last
// row in bold that sums the table.
func (p page) table(cols []column, rows [][]string, total []string) {
	p.tableHeader(cols)
	for i, row := range rows {
		p.tableRow(cols, row, i%2 == 1, false)
	}
	if total != nil {
		p.tableRow(cols, total, false, true)
	}
	p.gap(2)
}

// tableHeight is the height table would take if it fitted on one page.
func (p page) tableHeight(cols []column, rows [][]string, total []string) float64 {
	p.font("B", tableFont)
	_, h := p.wrapRow(cols, titles(cols))
	p.font("", tableFont)
	for _, row := range rows {
		_, rh := p.wrapRow(cols, row)
		h += rh
	}
	if total != nil {
		_, rh := p.wrapRow(cols, total)
		h += rh
	}
	return h + 2
}

// tableHeader prints the column titles in white on the primary colour.
func (p page) tableHeader(cols []column) {
	p.font("B", tableFont)
	cells, h := p.wrapRow(cols, titles(cols))
	// Keep the header with at least two rows of the body.
	p.ensure(h + 2*(tableLineH+2*tablePadV))
	y := p.f.GetY()
	p.box(marginX, y, tableWidth(cols), h, colHeaderBg)
	p.textColor(colWhite)
	p.drawCells(cols, cells, y)
	p.f.SetY(y + h)
}

// tableRow prints one body row, starting a new page (and repeating the
// header) if it does not fit on this one.
func (p page) tableRow(cols []column, row []string, zebra, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	p.font(style, tableFont)
	cells, h := p.wrapRow(cols, row)
	if p.f.GetY()+h > pageH-marginBottom {
		p.f.AddPage()
		p.tableHeader(cols)
		p.font(style, tableFont)
	}
	y := p.f.GetY()
	w := tableWidth(cols)
	if zebra {
		p.box(marginX, y, w, h, colZebra)
	}
	if bold {
		p.line(marginX, y, marginX+w, y, colInk, 0.3)
	}
	p.textColor(colInk)
	p.drawCells(cols, cells, y)
	p.line(marginX, y+h, marginX+w, y+h, colGrid, 0.15)
	p.f.SetY(y + h)
}

// wrapRow splits every cell of a row into the lines that fit its column and
// returns them with the row's height.
func (p page) wrapRow(cols []column, row []string) ([][]string, float64) {
	cells := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		var s string
		if i < len(row) {
			s = row[i]
		}
		lines := p.wrap(s, c.width, c.align == "L")
		if len(lines) > maxCellRows {
			lines = lines[:maxCellRows]
			lines[maxCellRows-1] = p.fit(lines[maxCellRows-1]+"…", c.width-2*p.f.GetCellMargin())
		}
		cells[i] = lines
		n = max(n, len(lines))
	}
	return cells, float64(n)*tableLineH + 2*tablePadV
}

// drawCells prints wrapped cells at the top of a row starting at y. A
// figure too wide for its column is set smaller rather than cut.
func (p page) drawCells(cols []column, cells [][]string, y float64) {
	size, _ := p.f.GetFontSize()
	x := marginX
	for i, c := range cols {
		for j, line := range cells[i] {
			p.shrinkToFit(line, c.width-2*p.f.GetCellMargin(), size)
			p.text(x, y+tablePadV+float64(j)*tableLineH, c.width, tableLineH, line, c.align)
			p.f.SetFontSize(size)
		}
		x += c.width
	}
}

// tableWidth is the sum of the columns' widths.
func tableWidth(cols []column) float64 {
	var w float64
	for _, c := range cols {
		w += c.width
	}
	return w
}

// titles lists the columns' titles, the cells of the header row.
func titles(cols []column) []string {
	t := make([]string, len(cols))
	for i, c := range cols {
		t[i] = c.title
	}
	return t
}
