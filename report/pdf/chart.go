package pdf

import (
	"math"

	"labcarbon/report"
)

// bar is one column of a column chart, in the chart's unit: its central
// value and the low–high range the factors allow (none where low = high),
// and the text printed above it where the value in the chart's unit would
// not say enough ("" for the value).
type bar struct {
	label            string
	value, low, high float64
	text             string
}

// chart is what a column chart says beside its bars: the unit of the value
// axis, the title of the category axis ("" for none, as on a panel whose
// twin below names the categories), the bars' fill, and whether the values
// are counts, which tick at whole numbers and are labelled without
// decimals.
type chart struct {
	unit, xTitle string
	fill         rgb
	whole        bool
	// axisW is the least width of the value axis, so that panels drawn
	// one above the other put their bars at the same places.
	axisW float64
}

// layer is one series of a stacked column chart: its values, one per
// column, drawn in fill above the layers before it.
type layer struct {
	key    string
	fill   rgb
	values []float64
}

// Column chart furniture, in millimetres.
const (
	chartUnitH  = 6.0  // above the plot, for the unit
	chartLineH  = 3.0  // a line of category labels
	chartTitleH = 5.0  // below the labels, for the axis title
	tickLen     = 1.2  // length of an axis tick
	maxBarW     = 14.0 // widest bar, so a few buckets do not look like walls
)

// plot is the frame of a column chart once its axis is drawn: the box the
// columns fill, the value scale, and how the category labels are set.
type plot struct {
	x, y, w, h float64
	top, step  float64
	dec        int // decimals of the tick labels
	n          int // columns
	// labels are the category labels, each on one or two lines; every
	// stride-th is printed where they would not fit side by side. below
	// is the height they take under the plot.
	labels [][]string
	stride int
	below  float64
}

func (pl plot) yOf(v float64) float64 { return pl.y + pl.h - v/pl.top*pl.h }
func (pl plot) slot() float64         { return pl.w / float64(pl.n) }

// column is the centre and width of the i-th column.
func (pl plot) column(i int) (cx, bw float64) {
	return pl.x + (float64(i)+0.5)*pl.slot(), math.Min(pl.slot()*0.68, maxBarW)
}

// columnChart draws bars with low–high whiskers in the box (x, y, w, h):
// a value axis in c.unit with ticks and gridlines on the left, one
// labelled category per bar below and c.xTitle under them.
func (p page) columnChart(x, y, w, h float64, bars []bar, c chart) {
	values := make([]float64, len(bars))
	for i, b := range bars {
		values[i] = b.value
	}
	p.stackedChart(x, y, w, h, bars, []layer{{fill: c.fill, values: values}}, c)
}

// stackedChart draws the layers stacked in columns, one per bar of totals,
// in the box (x, y, w, h); the totals give the categories, the whiskers
// and the labels above the columns, so they should be the layers' sums.
func (p page) stackedChart(x, y, w, h float64, totals []bar, layers []layer, c chart) {
	if len(totals) == 0 {
		return
	}
	pl := p.frame(x, y, w, h, totals, c)
	// The default whisker colour is the accent, which a layer's colour may
	// be close to: over several layers they are drawn in ink.
	whisker := colAccent
	if len(layers) > 1 {
		whisker = colInk
	}
	for i, b := range totals {
		cx, bw := pl.column(i)
		var base float64
		for k, l := range layers {
			v := l.values[i]
			if v <= 0 {
				continue
			}
			p.box(cx-bw/2, pl.yOf(base+v), bw, pl.yOf(base)-pl.yOf(base+v), l.fill)
			base += v
			// A hairline between layers keeps neighbours apart in
			// greyscale.
			if k < len(layers)-1 {
				p.line(cx-bw/2, pl.yOf(base), cx+bw/2, pl.yOf(base), colWhite, 0.2)
			}
		}
		if b.high > b.low {
			capW := math.Max(bw*0.3, 0.8)
			p.line(cx, pl.yOf(b.low), cx, pl.yOf(b.high), whisker, 0.35)
			p.line(cx-capW/2, pl.yOf(b.high), cx+capW/2, pl.yOf(b.high), whisker, 0.35)
			p.line(cx-capW/2, pl.yOf(b.low), cx+capW/2, pl.yOf(b.low), whisker, 0.35)
		}
	}
	p.valueLabels(pl, totals, c.whole)
	p.categories(pl, c.xTitle)
}

// frame draws a chart's value axis, in c.unit with ticks and gridlines,
// and returns the plot it frames, leaving room below for the category
// labels of bars and c.xTitle.
func (p page) frame(x, y, w, h float64, bars []bar, c chart) plot {
	var peak float64
	for _, b := range bars {
		peak = math.Max(peak, math.Max(b.value, b.high))
	}
	top, step := niceScale(peak, 5)
	if c.whole && step < 1 {
		top, step = math.Max(1, math.Ceil(top)), 1
	}
	dec := tickDecimals(step)

	p.font("", 7)
	axisW := math.Max(p.width(report.Number(top, dec))+2*tickLen+1, c.axisW)
	pl := plot{x: x + axisW, y: y + chartUnitH, w: w - axisW, top: top, step: step, dec: dec, n: len(bars)}
	pl.labels, pl.stride = p.categoryLabels(bars, pl.slot())
	lines := 1
	for _, l := range pl.labels {
		lines = max(lines, len(l))
	}
	pl.below = tickLen + chartLineH*float64(lines) + 1
	pl.h = h - chartUnitH - pl.below
	if c.xTitle != "" {
		pl.h -= chartTitleH
	}

	// Unit above the axis, then gridlines and tick labels.
	p.textColor(colMuted)
	p.text(x, y, axisW+40, chartUnitH-1, c.unit, "L")
	for v := 0.0; v <= top+step/2; v += step {
		yy := pl.yOf(v)
		if v > 0 {
			p.line(pl.x, yy, pl.x+pl.w, yy, colGrid, 0.2)
		}
		p.line(pl.x-tickLen, yy, pl.x, yy, colInk, 0.25)
		p.text(x, yy-2, axisW-tickLen-0.5, 4, report.Number(v, dec), "R")
	}
	return pl
}

// categoryLabels sets the bars' labels under their slots: each on one
// line, or on two where one is too wide for its slot; failing that, on one
// line under every stride-th bar so that they do not touch.
func (p page) categoryLabels(bars []bar, slot float64) ([][]string, int) {
	p.font("", 7)
	labels := make([][]string, len(bars))
	var widest float64
	fits := true
	for i, b := range bars {
		labels[i] = []string{b.label}
		widest = math.Max(widest, p.width(b.label))
		if p.width(b.label)+2 > slot {
			labels[i] = p.wrap(b.label, slot, true)
			fits = fits && len(labels[i]) <= 2
		}
	}
	if fits {
		return labels, 1
	}
	for i, b := range bars {
		labels[i] = []string{b.label}
	}
	return labels, max(1, int(math.Ceil((widest+2)/slot)))
}

// categories prints the category labels and ticks under the plot, the
// axes over the columns and the axis title under the labels.
func (p page) categories(pl plot, xTitle string) {
	slot := pl.slot()
	p.font("", 7)
	p.textColor(colInk)
	for i, lines := range pl.labels {
		if i%pl.stride != 0 {
			continue
		}
		cx, _ := pl.column(i)
		p.line(cx, pl.y+pl.h, cx, pl.y+pl.h+tickLen, colInk, 0.25)
		for j, l := range lines {
			p.text(cx-slot*float64(pl.stride)/2, pl.y+pl.h+tickLen+float64(j)*chartLineH, slot*float64(pl.stride), chartLineH+1, l, "C")
		}
	}
	p.line(pl.x, pl.y, pl.x, pl.y+pl.h, colInk, 0.3)
	p.line(pl.x, pl.y+pl.h, pl.x+pl.w, pl.y+pl.h, colInk, 0.3)
	if xTitle != "" {
		p.font("", 7.5)
		p.textColor(colMuted)
		p.text(pl.x, pl.y+pl.h+pl.below, pl.w, chartTitleH, xTitle, "C")
	}
}

// valueLabels prints each bar's value above its whisker when every label
// fits its slot; with too many bars they would collide and are left out.
// Counts are labelled whole, other values to one decimal more than the
// ticks, at most two.
func (p page) valueLabels(pl plot, bars []bar, whole bool) {
	p.font("", 6.5)
	dec := min(pl.dec+1, 2)
	if whole {
		dec = 0
	}
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = b.text
		if labels[i] == "" {
			labels[i] = report.Number(b.value, dec)
		}
		if p.width(labels[i])+1 > pl.slot() {
			return
		}
	}
	p.textColor(colInk)
	for i, b := range bars {
		if b.value == 0 && b.high == 0 {
			continue // an empty bucket needs no "0.0" over nothing
		}
		cx, _ := pl.column(i)
		p.text(cx-pl.slot()/2, pl.yOf(math.Max(b.value, b.high))-4, pl.slot(), 3.5, labels[i], "C")
	}
}

// legend prints a swatch and the key of each layer in a row from (x, y),
// wrapping to further rows within w, and returns the height it took.
func (p page) legend(x, y, w float64, layers []layer) float64 {
	const sw, rowH, gap = 3.2, 4.5, 5.0
	p.font("", 7.5)
	p.textColor(colInk)
	cx, cy := x, y
	for _, l := range layers {
		key := p.fit(l.key, w/2)
		iw := sw + 1.5 + p.width(key)
		if cx > x && cx+iw > x+w {
			cx, cy = x, cy+rowH
		}
		p.box(cx, cy+(rowH-sw)/2, sw, sw, l.fill)
		p.text(cx+sw+0.5, cy, iw-sw, rowH, key, "L")
		cx += iw + gap
	}
	return cy + rowH - y
}
