package xlsx

import (
	"math"
	"time"
)

// num is v as a cell value. NaN and ±Inf become a blank cell: Excel cannot
// store them and would report the whole workbook as corrupt.
func num(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// numIf is num(v) where v is known, and a blank cell where it is not,
// which a zero would misstate.
func numIf(v float64, known bool) any {
	if !known {
		return nil
	}
	return num(v)
}

// timeOrNil is t in UTC, or a blank cell for the zero time, which means the
// source did not know it.
func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
