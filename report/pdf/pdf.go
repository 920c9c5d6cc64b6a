// Package pdf prints a lab's report for a period as an A4 PDF: a cover with
// the headline figures, their change from earlier periods, the largest
// recommendations and the executive summary, emissions over time, the
// breakdowns by group, cluster, partition, node type, user and job state,
// efficiency and waste, the recommendations and what became of the
// previous period's, and a methodology and audit appendix. WriteStatement
// prints one researcher's statement from report.Statement in the same
// style. It only prints what report.Data and report.Statement hold; every
// number is aggregated before it gets here.
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

	"labcarbon"
	"labcarbon/report"
)

// Write renders d as a PDF document to w.
func Write(w io.Writer, d *report.Data) error {
	if d == nil {
		return fmt.Errorf("pdf: no report data")
	}
	doc := docInfo{
		lab: d.Lab, period: d.Period, generated: d.Generated, runID: d.RunID, version: d.Version,
		title: "Computing carbon footprint, " + d.Lab + ", " + d.Period.Label,
	}
	f := newDocument(doc)
	p := newPage(f)
	// The table of contents opens the second page, as the cover is full;
	// it lists the sections after it, each of which prints one heading.
	toc := &contentsBox{}
	sections := []struct {
		print   func(page, *report.Data)
		newPage bool
	}{
		{cover, true},
		{func(p page, _ *report.Data) { toc.keep(p) }, true},
		{overTime, false}, {breakdowns, true},
		// Waste reads on from the breakdowns, often their last page's
		// foot, rather than leave that page half empty.
		{efficiency, false},
		{recommendations, true},
		{appendix, true},
	}
	toc.n = len(sections) - 2
	for _, section := range sections {
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
	toc.print(p, *p.sections)
	return output(f, w, doc)
}

// output writes the finished document to w.
func output(f *gofpdf.Fpdf, w io.Writer, doc docInfo) error {
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: write %s: %w", doc.period.Label, err)
	}
	return nil
}

// docInfo is what the document's metadata and running header and footer
// print: the lab's report and a researcher's statement share them.
type docInfo struct {
	lab string
	// who is the researcher a statement is for, printed in the header
	// beside the lab; "" for the lab's report.
	who       string
	period    labcarbon.Period
	generated time.Time
	runID     int64
	version   string
	title     string // the document's title in its metadata
}

// newDocument sets up an A4 document with doc's metadata, the embedded
// fonts and the running header and footer.
func newDocument(doc docInfo) *gofpdf.Fpdf {
	f := gofpdf.New("P", "mm", "A4", "")
	// Fixed dates and sorted catalogs make the output reproducible; the
	// alias must be set before the fonts are added, as gofpdf sizes their
	// subsets by it.
	stamp := doc.timestamp()
	f.SetCreationDate(stamp)
	f.SetModificationDate(stamp)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.AliasNbPages("")
	addFonts(f)

	f.SetTitle(printable(doc.title), true)
	f.SetSubject("Energy use and CO2e emissions of computing jobs", true)
	f.SetAuthor(printable(doc.lab), true)
	f.SetCreator(printable("labcarbon "+doc.version), true)
	f.SetProducer(printable("labcarbon "+doc.version), true)

	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(1.2)
	p := newPage(f)
	f.SetHeaderFuncMode(func() { header(p, doc) }, true)
	f.SetFooterFunc(func() { footer(p, doc) })
	return f
}

// timestamp is the document's creation date: when the data was generated,
// or the period's end if that is unknown, never the wall clock, which
// would make two renderings of the same data differ.
func (doc docInfo) timestamp() time.Time {
	switch {
	case !doc.generated.IsZero():
		return doc.generated.UTC()
	case !doc.period.To.IsZero():
		return doc.period.To.UTC()
	}
	return time.Unix(0, 0).UTC()
}

// header prints the lab (and the researcher of a statement) and the
// period at the top of every page.
func header(p page, doc docInfo) {
	const y = 9.0
	left := doc.lab
	if doc.who != "" {
		left += " · " + doc.who
	}
	p.font("B", 8.5)
	p.textColor(colPrimary)
	p.text(marginX, y, contentW/2, 5, p.fit(left, contentW/2-4), "L")
	p.font("", 8.5)
	p.textColor(colMuted)
	p.text(marginX+contentW/2, y, contentW/2, 5, p.fit(periodLine(doc.period), contentW/2-4), "R")
	p.line(marginX, y+6.5, pageW-marginX, y+6.5, colRule, 0.3)
}

// footer prints the page number, and the run and version behind the data.
func footer(p page, doc docInfo) {
	y := pageH - 13.0
	p.line(marginX, y, pageW-marginX, y, colRule, 0.3)
	p.font("", 7.5)
	p.textColor(colMuted)
	// The page count is filled in when the document closes; the text is
	// left-aligned so its placeholder's width cannot shift it.
	p.text(marginX, y+1.5, contentW/2, 5, fmt.Sprintf("Page %d of {nb}", p.f.PageNo()), "L")
	p.text(marginX+contentW/2, y+1.5, contentW/2, 5, doc.provenance(), "R")
}

// provenance names the software, run and time that produced the data.
func (doc docInfo) provenance() string {
	s := fmt.Sprintf("labcarbon %s · run %d", doc.version, doc.runID)
	if !doc.generated.IsZero() {
		s += " · generated " + doc.generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s
}
