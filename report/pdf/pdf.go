// Package pdf prints a lab's report for a period as an A4 PDF: a cover with
// the executive summary and headline figures, emissions over time, the
// breakdowns by group, cluster, partition, node type, user and job state,
// efficiency and waste, and a methodology and audit appendix. It only
// prints what report.Data holds; every number is aggregated before it gets
// here.
//
// Text is set in the Go fonts, embedded as UTF-8 TrueType, because the PDF
// core fonts cannot print names such as Jiří or Łukasz. The output is
// byte-for-byte the same for the same Data, so a re-run that changes nothing
// produces an identical file.
package pdf

import (
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"

	"labcarbon/report"
)

// Write renders d as a PDF document to w.
func Write(w io.Writer, d *report.Data) error {
	if d == nil {
		return fmt.Errorf("pdf: no report data")
	}
	f := newDocument(d)
	p := page{f}
	for _, section := range []struct {
		print   func(page, *report.Data)
		newPage bool
	}{
		{cover, true}, {overTime, true}, {breakdowns, true},
		// Waste reads on from the breakdowns, often their last page's
		// foot, rather than leave that page half empty.
		{efficiency, false},
		{appendix, true},
	} {
		if section.newPage {
			f.AddPage()
		} else {
			p.gap(6)
		}
		section.print(p, d)
		if err := f.Error(); err != nil {
			return fmt.Errorf("pdf: render %s: %w", d.Period.Label, err)
		}
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: write %s: %w", d.Period.Label, err)
	}
	return nil
}

// newDocument sets up an A4 document with d's metadata, the embedded fonts
// and the running header and footer.
func newDocument(d *report.Data) *gofpdf.Fpdf {
	f := gofpdf.New("P", "mm", "A4", "")
	// Fixed dates and sorted catalogs make the output reproducible; the
	// alias must be set before the fonts are added, as gofpdf sizes their
	// subsets by it.
	stamp := timestamp(d)
	f.SetCreationDate(stamp)
	f.SetModificationDate(stamp)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.AliasNbPages("")
	addFonts(f)

	title := "Computing carbon footprint, " + d.Lab + ", " + d.Period.Label
	f.SetTitle(printable(title), true)
	f.SetSubject("Energy use and CO2e emissions of computing jobs", true)
	f.SetAuthor(printable(d.Lab), true)
	f.SetCreator(printable("labcarbon "+d.Version), true)
	f.SetProducer(printable("labcarbon "+d.Version), true)

	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(1.2)
	p := page{f}
	f.SetHeaderFuncMode(func() { header(p, d) }, true)
	f.SetFooterFunc(func() { footer(p, d) })
	return f
}

// timestamp is the document's creation date: when the data was generated,
// or the period's end if that is unknown, never the wall clock, which
// would make two renderings of the same data differ.
func timestamp(d *report.Data) time.Time {
	switch {
	case !d.Generated.IsZero():
		return d.Generated.UTC()
	case !d.Period.To.IsZero():
		return d.Period.To.UTC()
	}
	return time.Unix(0, 0).UTC()
}

// header prints the lab and the period at the top of every page.
func header(p page, d *report.Data) {
	const y = 9.0
	p.font("B", 8.5)
	p.textColor(colPrimary)
	p.text(marginX, y, contentW/2, 5, p.fit(d.Lab, contentW/2-4), "L")
	p.font("", 8.5)
	p.textColor(colMuted)
	p.text(marginX+contentW/2, y, contentW/2, 5, p.fit(periodLine(d.Period), contentW/2-4), "R")
	p.line(marginX, y+6.5, pageW-marginX, y+6.5, colRule, 0.3)
}

// footer prints the page number, and the run and version behind the data.
func footer(p page, d *report.Data) {
	y := pageH - 13.0
	p.line(marginX, y, pageW-marginX, y, colRule, 0.3)
	p.font("", 7.5)
	p.textColor(colMuted)
	// The page count is filled in when the document closes; the text is
	// left-aligned so its placeholder's width cannot shift it.
	p.text(marginX, y+1.5, contentW/2, 5, fmt.Sprintf("Page %d of {nb}", p.f.PageNo()), "L")
	p.text(marginX+contentW/2, y+1.5, contentW/2, 5, provenance(d), "R")
}

// provenance names the software, run and time that produced the data.
func provenance(d *report.Data) string {
	s := fmt.Sprintf("labcarbon %s · run %d", d.Version, d.RunID)
	if !d.Generated.IsZero() {
		s += " · generated " + d.Generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s
}
