package xlsx

import (
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// column is one column of a sheet: its header, with the unit, its width in
// characters and the style of its cells.
type column struct {
	header string
	width  float64
	style  int
}

// headerHeight is the height, in points, of a header row: two lines, so a
// header with its unit wraps instead of widening its column.
const headerHeight = 30

// table writes rows under a header to a new sheet, as an Excel table named
// name (filter buttons, banded rows) under a frozen header row. Cells take
// their column's style, so values must be typed: numbers as numbers, times
// as time.Time, nil for blanks.
func (b *book) table(sheet, name string, cols []column, rows [][]any) error {
	f := b.f
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	for i, c := range cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, c.width); err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, col, c.style); err != nil {
			return err
		}
	}
	headers := make([]any, len(cols))
	for i, c := range cols {
		headers[i] = c.header
	}
	if err := f.SetSheetRow(sheet, "A1", &headers); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(cols), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, b.st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, headerHeight); err != nil {
		return err
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, frozenHeader()); err != nil {
		return err
	}
	t, err := tableOf(name, len(cols), len(rows))
	if err != nil {
		return err
	}
	return f.AddTable(sheet, t)
}

// frozenHeader keeps the first row in view while the rest scrolls.
func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
}

// tableOf is an Excel table over a header and n rows of cols columns. A
// table needs a body row, so an empty one covers one blank row.
func tableOf(name string, cols, n int) (*excelize.Table, error) {
	last, err := excelize.CoordinatesToCellName(cols, max(n, 1)+1)
	if err != nil {
		return nil, err
	}
	stripes := true
	return &excelize.Table{
		Range:          "A1:" + last,
		Name:           name,
		StyleName:      "TableStyleLight9",
		ShowRowStripes: &stripes,
	}, nil
}

// textWidth is a column width, in characters, that shows the longest of
// texts and the header, within bounds that keep a sheet scannable.
func textWidth(header string, texts []string) float64 {
	w := 10
	for _, s := range append(texts, header) {
		w = max(w, utf8.RuneCountInString(s)+2)
	}
	return float64(min(w, 60))
}

// wrappedLines is how many lines text takes when wrapped at perLine
// characters, each of its own lines starting a new one.
func wrappedLines(text string, perLine int) int {
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		n += max((utf8.RuneCountInString(line)+perLine-1)/perLine, 1)
	}
	return n
}

// wrappedHeight is the height, in points, of a row of lines of wrapped
// text. A viewer does not always fit a row to wrapped text by itself, and
// never to a merged cell's.
func wrappedHeight(lines int) float64 { return float64(lines)*15 + 3 }
