package pdf

import (
	"github.com/jung-kurt/gofpdf"
)

// page wraps the gofpdf document with the few drawing verbs the report uses,
// each of which prints text through printed.
type page struct {
	f  *gofpdf.Fpdf
	st *fontState
	// sections are the headings printed so far, shared by the copies of
	// a page, for the table of contents.
	sections *[]section
}

// section is a heading as the table of contents lists it: its title, the
// page it starts on and an internal link to it.
type section struct {
	title      string
	page, link int
}

// fontState is the font a page's verbs last chose, shared by the copies of
// a page, so that text the Go fonts cannot draw is set in the fallback
// font in the same style and size and the font is restored after.
type fontState struct {
	family, style string
	fallbackAdded bool
}

func newPage(f *gofpdf.Fpdf) page {
	return page{f: f, st: &fontState{family: sans}, sections: &[]section{}}
}

// printed readies s for printing in the current font: when the Go fonts
// lack a rune of s that DejaVu Sans has, it switches to DejaVu Sans and
// the returned func switches back; otherwise s is passed through
// printable and the func does nothing.
func (p page) printed(s string) (string, func()) {
	if !needsFallback(s) {
		return printable(s), func() {}
	}
	if !p.st.fallbackAdded {
		addFallback(p.f)
		p.st.fallbackAdded = true
	}
	size, _ := p.f.GetFontSize()
	p.f.SetFont(fallback, p.st.style, size)
	return s, func() { p.f.SetFont(p.st.family, p.st.style, size) }
}

func (p page) textColor(c rgb) { p.f.SetTextColor(c.r, c.g, c.b) }
func (p page) fillColor(c rgb) { p.f.SetFillColor(c.r, c.g, c.b) }
func (p page) drawColor(c rgb) { p.f.SetDrawColor(c.r, c.g, c.b) }

// font selects the sans family in a style ("", "B", "I") and size (pt).
func (p page) font(style string, size float64) { p.setFont(sans, style, size) }

// monoFont selects the monospaced family.
func (p page) monoFont(size float64) { p.setFont(mono, "", size) }

func (p page) setFont(family, style string, size float64) {
	p.st.family, p.st.style = family, style
	p.f.SetFont(family, style, size)
}

// width is the printed width of s in the current font.
func (p page) width(s string) float64 {
	s, restore := p.printed(s)
	defer restore()
	return p.f.GetStringWidth(s)
}

// text prints s in a cell of width w and height h at (x, y), aligned "L",
// "C" or "R".
func (p page) text(x, y, w, h float64, s, align string) {
	s, restore := p.printed(s)
	defer restore()
	p.f.SetXY(x, y)
	p.f.CellFormat(w, h, s, "", 0, align+"M", false, 0, "")
}

// shrinkToFit lowers the font size from size until s fits in w, down to
// two thirds of it.
func (p page) shrinkToFit(s string, w, size float64) {
	for sz := size; sz >= size*2/3; sz -= 0.25 {
		p.f.SetFontSize(sz)
		if p.width(s) <= w {
			return
		}
	}
}

// fit shortens s with an ellipsis until it fits in w.
func (p page) fit(s string, w float64) string {
	s, restore := p.printed(s)
	defer restore()
	if p.f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// paragraph prints running text across the content width from the current
// position, breaking pages as needed.
func (p page) paragraph(s string, size, lineH float64) {
	p.font("", size)
	p.textColor(colInk)
	p.f.SetX(marginX)
	p.multiCell(contentW, lineH, s)
}

// multiCell prints s as wrapped lines of width w from the current
// position.
func (p page) multiCell(w, lineH float64, s string) {
	s, restore := p.printed(s)
	defer restore()
	p.f.MultiCell(w, lineH, s, "", "L", false)
}

// lead prints a paragraph whose first words, head, are set in bold.
func (p page) lead(head, rest string, size, lineH float64) {
	p.textColor(colInk)
	p.f.SetX(marginX)
	p.font("B", size)
	p.write(lineH, head)
	p.font("", size)
	p.write(lineH, rest)
	p.f.Ln(lineH)
}

// heading starts a section with a title in the primary colour.
// Each heading is a bookmark in a viewer's outline and a section of the
// table of contents.
func (p page) heading(title string) {
	p.ensure(20)
	y := p.f.GetY()
	link := p.f.AddLink()
	p.f.SetLink(link, y, -1)
	p.f.Bookmark(title, 0, y)
	*p.sections = append(*p.sections, section{title: title, page: p.f.PageNo(), link: link})
	p.font("B", 16)
	p.textColor(colPrimary)
	p.text(marginX, y, contentW, 9, title, "L")
	p.f.SetY(y + 11)
}

// subheading starts a subsection; need is the space the first lines of the
// subsection take, so its title is never left alone at a page's foot.
func (p page) subheading(title string, need float64) {
	p.ensure(10 + need)
	p.font("B", 11)
	p.textColor(colInk)
	p.text(marginX, p.f.GetY(), contentW, 6, title, "L")
	p.f.SetY(p.f.GetY() + 7.5)
}

// note prints a line of small muted text.
func (p page) note(s string) {
	p.font("I", 8)
	p.textColor(colMuted)
	p.f.SetX(marginX)
	p.multiCell(contentW, 4, s)
}

// write prints s as running text from the current position.
func (p page) write(lineH float64, s string) {
	s, restore := p.printed(s)
	defer restore()
	p.f.Write(lineH, s)
}

// gap moves the cursor down by h.
func (p page) gap(h float64) { p.f.SetY(p.f.GetY() + h) }

// usableH is the height between the running header and footer.
const usableH = pageH - marginTop - marginBottom

// keep returns how much space to ask for so that a block of height h stays
// on one page: all of it when it fits on a page, else just enough for its
// start (least) so a long block does not leave a page half empty.
func keep(h, least float64) float64 {
	if h <= usableH-20 {
		return h
	}
	return least
}

// ensure starts a new page unless h millimetres remain above the footer.
func (p page) ensure(h float64) {
	if p.f.GetY()+h > pageH-marginBottom {
		p.f.AddPage()
	}
}

// line draws a rule of the given colour and width.
func (p page) line(x1, y1, x2, y2 float64, c rgb, w float64) {
	p.drawColor(c)
	p.f.SetLineWidth(w)
	p.f.Line(x1, y1, x2, y2)
}

// box fills a rectangle.
func (p page) box(x, y, w, h float64, c rgb) {
	p.fillColor(c)
	p.f.Rect(x, y, w, h, "F")
}
