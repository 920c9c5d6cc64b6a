package xlsx

import "github.com/xuri/excelize/v2"

// styles are the cell styles of a workbook, one per kind of content, so a
// column's cells share one number format.
type styles struct {
	header, title, label, text, wrapped int
	count, dec1, dec2, dec3, share, pue int
	date, datetime                      int
}

// Number formats. Shares are stored as 0..1 and shown as percentages, the
// way Excel computes with them.
const (
	fmtCount    = "#,##0"
	fmtDec1     = "#,##0.0"
	fmtDec2     = "#,##0.00"
	fmtDec3     = "#,##0.000"
	fmtShare    = "0.0%"
	fmtPUE      = "0.00"
	fmtDate     = "yyyy-mm-dd"
	fmtDateTime = "yyyy-mm-dd hh:mm:ss"
)

// newStyles registers the styles with f.
func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	add := func(dst *int, st *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(st)
		}
	}
	// Cells sit at the top, beside a wrapped text that makes its row
	// taller (the Recommendations sheet); a row of one line looks the same.
	top := &excelize.Alignment{Vertical: "top"}
	num := func(dst *int, format string) {
		add(dst, &excelize.Style{CustomNumFmt: &format, Alignment: top})
	}
	add(&s.header, &excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	add(&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "135E56"}})
	add(&s.label, &excelize.Style{Font: &excelize.Font{Bold: true}})
	num(&s.text, "@")
	add(&s.wrapped, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	num(&s.count, fmtCount)
	num(&s.dec1, fmtDec1)
	num(&s.dec2, fmtDec2)
	num(&s.dec3, fmtDec3)
	num(&s.share, fmtShare)
	num(&s.pue, fmtPUE)
	num(&s.date, fmtDate)
	num(&s.datetime, fmtDateTime)
	return s, err
}
