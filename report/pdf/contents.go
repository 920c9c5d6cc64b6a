package pdf

// Table of contents geometry, in millimetres.
const (
	contentsCols  = 3
	contentsRowH  = 5.0
	contentsTitle = 7.0 // the caption above the entries
)

// contentsBox is the space kept for the table of contents, which can only
// be printed once the sections after it have found their pages.
type contentsBox struct {
	n    int // sections it lists
	page int
	y    float64
}

// height is the height of the table of contents.
func (c *contentsBox) height() float64 {
	rows := (c.n + contentsCols - 1) / contentsCols
	return contentsTitle + float64(rows)*contentsRowH + 2
}

// keep notes where the table of contents goes, at the cursor, and moves
// the cursor past the space it takes; it has the signature of a section.
func (c *contentsBox) keep(p page) {
	c.page, c.y = p.f.PageNo(), p.f.GetY()
	p.gap(c.height())
}

// print goes back to the space kept and prints the sections there, each
// with its page number and a link to it, in columns read downwards, then
// returns to the page it was on.
func (c *contentsBox) print(p page, ss []section) {
	last := p.f.PageNo()
	p.f.SetPage(c.page)
	defer p.f.SetPage(last)
	p.box(marginX, c.y, contentW, c.height(), colTile)
	p.box(marginX, c.y, 1.2, c.height(), colPrimary)
	p.font("B", 8)
	p.textColor(colPrimary)
	p.text(marginX+4, c.y+1.5, contentW-8, 5, "CONTENTS", "L")
	w := (contentW - 8) / contentsCols
	rows := (c.n + contentsCols - 1) / contentsCols
	// A heading beyond those the box was kept for would print outside it.
	for i, s := range ss[:min(len(ss), c.n)] {
		x := marginX + 4 + float64(i/rows)*w
		y := c.y + contentsTitle + float64(i%rows)*contentsRowH
		p.font("", 9)
		p.textColor(colInk)
		p.text(x, y, w-16, contentsRowH, p.fit(s.title, w-18), "L")
		p.font("B", 9)
		p.text(x+w-16, y, 10, contentsRowH, count(s.page), "R")
		p.f.Link(x, y, w-6, contentsRowH, s.link)
	}
}
