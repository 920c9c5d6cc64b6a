package pdf

import (
	"labcarbon/report"
	"math"
)

// bar is one column of a column chart, in the chart's unit: its central
// value and the low–high range the factors allow.
type bar struct {
	label            string
	value, low, high float64
}

// Column chart furniture, in millimetres.
const (
	chartUnitH   = 6.0  // above the plot, for the unit
	chartLabelsH = 6.0  // below the plot, for the category labels
	chartTitleH  = 5.0  // below the labels, for the axis title
	tickLen      = 1.2  // length of an axis tick
	maxBarW      = 14.0 // widest bar, so a few buckets do not look like walls
)

// columnChart draws bars with low–high whiskers in the box (x, y, w, h):
// a value axis in unit with ticks and gridlines on the left, one labelled
// category per bar below and xTitle under them.
func (p page) columnChart(x, y, w, h float64, bars []bar, unit, xTitle string) {
	if len(bars) == 0 {
		return
	}
	var peak float64
	for _, b := range bars {
		peak = math.Max(peak, math.Max(b.value, b.high))
	}
	top, step := niceScale(peak, 5)
	dec := tickDecimals(step)

	p.font("", 7)
	axisW := p.width(report.Number(top, dec)) + 2*tickLen + 1
	px, py := x+axisW, y+chartUnitH
	pw, ph := w-axisW, h-chartUnitH-chartLabelsH-chartTitleH
	yOf := func(v float64) float64 { return py + ph - v/top*ph }

	// Unit above the axis, then gridlines and tick labels.
	p.textColor(colMuted)
	p.text(x, y, axisW+40, chartUnitH-1, unit, "L")
	for v := 0.0; v <= top+step/2; v += step {
		yy := yOf(v)
		if v > 0 {
			p.line(px, yy, px+pw, yy, colGrid, 0.2)
		}
		p.line(px-tickLen, yy, px, yy, colInk, 0.25)
		p.text(x, yy-2, axisW-tickLen-0.5, 4, report.Number(v, dec), "R")
	}

	slot := pw / float64(len(bars))
	bw := math.Min(slot*0.68, maxBarW)
	every := p.labelStride(bars, slot)
	for i, b := range bars {
		cx := px + (float64(i)+0.5)*slot
		if b.value > 0 {
			p.box(cx-bw/2, yOf(b.value), bw, yOf(0)-yOf(b.value), colBar)
		}
		if b.high > b.low {
			capW := math.Max(bw*0.3, 0.8)
			p.line(cx, yOf(b.low), cx, yOf(b.high), colAccent, 0.35)
			p.line(cx-capW/2, yOf(b.high), cx+capW/2, yOf(b.high), colAccent, 0.35)
			p.line(cx-capW/2, yOf(b.low), cx+capW/2, yOf(b.low), colAccent, 0.35)
		}
		if i%every == 0 {
			p.line(cx, py+ph, cx, py+ph+tickLen, colInk, 0.25)
			p.font("", 7)
			p.textColor(colInk)
			p.text(cx-slot*float64(every)/2, py+ph+tickLen, slot*float64(every), chartLabelsH-tickLen, b.label, "C")
		}
	}
	p.valueLabels(bars, px, slot, yOf, dec)

	// Axes last, so bars do not cover them.
	p.line(px, py, px, py+ph, colInk, 0.3)
	p.line(px, py+ph, px+pw, py+ph, colInk, 0.3)
	p.font("", 7.5)
	p.textColor(colMuted)
	p.text(px, py+ph+chartLabelsH, pw, chartTitleH, xTitle, "C")
}

// labelStride is n when every n-th category label fits under its bars
// without touching the next.
func (p page) labelStride(bars []bar, slot float64) int {
	p.font("", 7)
	var widest float64
	for _, b := range bars {
		widest = math.Max(widest, p.width(b.label))
	}
	return max(1, int(math.Ceil((widest+2)/slot)))
}

// valueLabels prints each bar's value above its whisker when every label
// fits its slot; with too many bars they would collide and are left out.
func (p page) valueLabels(bars []bar, px, slot float64, yOf func(float64) float64, tickDec int) {
	p.font("", 6.5)
	dec := min(tickDec+1, 2)
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = report.Number(b.value, dec)
		if p.width(labels[i])+1 > slot {
			return
		}
	}
	p.textColor(colInk)
	for i, b := range bars {
		if b.value == 0 && b.high == 0 {
			continue // an empty bucket needs no "0.0" over nothing
		}
		cx := px + (float64(i)+0.5)*slot
		p.text(cx-slot/2, yOf(math.Max(b.value, b.high))-4, slot, 3.5, labels[i], "C")
	}
}
