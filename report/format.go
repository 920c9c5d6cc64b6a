package report

import (
	"fmt"
	"math"
	"strings"
)

// The formatting every output shares, so that the command line, the PDF, the
// summary wording and the workbook print a figure the same way.

// Number formats f with the given decimals and thousands separators. A value
// that rounds to zero prints without a sign.
func Number(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	s := fmt.Sprintf("%.*f", decimals, math.Abs(f))
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if f < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Mass formats kilograms of CO2e with a unit that keeps the figure readable.
func Mass(kg float64) string {
	switch a := math.Abs(kg); {
	case a >= 1000:
		return Number(kg/1000, 2) + " t"
	case a >= 10:
		return Number(kg, 0) + " kg"
	case a >= 1:
		return Number(kg, 1) + " kg"
	default:
		return Number(kg*1000, 0) + " g"
	}
}

// Energy formats kilowatt-hours with a unit that keeps the figure readable.
func Energy(kwh float64) string {
	if math.Abs(kwh) >= 1000 {
		return Number(kwh/1000, 2) + " MWh"
	}
	return Number(kwh, 0) + " kWh"
}

// Percent formats a share given as 0..1.
func Percent(share float64) string { return Number(100*share, 0) + "%" }
