package pdf

import (
	"math"

	"labcarbon/report"
)

// shareBar is one row of a share chart: a name, its share of the period's
// CO2e (0..1) and a note printed after the bar.
type shareBar struct {
	label string
	share float64
	note  string
}

// Share chart geometry, in millimetres.
const (
	shareLabelW = 44.0
	shareNoteW  = 34.0
	shareRowH   = 5.6
	shareBarH   = 3.8
	shareAxisH  = 8.0
)

// shareChart draws one horizontal bar per row at the cursor, longest share
// first as given, over a percentage axis with gridlines.
func (p page) shareChart(bars []shareBar) {
	if len(bars) == 0 {
		return
	}
	h := shareChartHeight(len(bars)) - 2
	p.ensure(h + 2)
	var peak float64
	for _, b := range bars {
		peak = math.Max(peak, b.share*100)
	}
	top, step := niceScale(peak, 5)
	dec := tickDecimals(step)

	y := p.f.GetY()
	px := marginX + shareLabelW
	pw := contentW - shareLabelW - shareNoteW
	ph := float64(len(bars)) * shareRowH
	xOf := func(pct float64) float64 { return px + pct/top*pw }

	p.font("", 7)
	for v := 0.0; v <= top+step/2; v += step {
		xx := xOf(v)
		if v > 0 {
			p.line(xx, y, xx, y+ph, colGrid, 0.2)
		}
		p.line(xx, y+ph, xx, y+ph+tickLen, colInk, 0.25)
		p.textColor(colMuted)
		p.text(xx-8, y+ph+tickLen, 16, 3.5, report.Number(v, dec)+"%", "C")
	}
	p.text(px, y+ph+tickLen+3.5, pw, 3.5, "share of the period's CO₂e", "C")

	for i, b := range bars {
		ry := y + float64(i)*shareRowH
		p.font("", 7.5)
		p.textColor(colInk)
		p.text(marginX, ry, shareLabelW-1.5, shareRowH, p.fit(b.label, shareLabelW-4), "R")
		if b.share > 0 {
			p.box(px, ry+(shareRowH-shareBarH)/2, xOf(b.share*100)-px, shareBarH, colBar)
		}
		p.font("", 7)
		p.textColor(colMuted)
		p.text(xOf(b.share*100), ry, shareNoteW+pw, shareRowH, b.note, "L")
	}
	p.line(px, y, px, y+ph, colInk, 0.3)
	p.f.SetY(y + h + 2)
}

// shareChartHeight is the height of a share chart of n bars, with the space
// below it.
func shareChartHeight(n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(n)*shareRowH + shareAxisH + 2
}
