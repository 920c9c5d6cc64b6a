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

// Decimals is how many decimals a figure of magnitude v needs to show about
// three significant digits without pretending to more precision.
func Decimals(v float64) int {
	switch v = math.Abs(v); {
	case v == 0 || v >= 100:
		return 0
	case v >= 10:
		return 1
	default:
		return 2
	}
}

// Mass formats kilograms of CO2e in t, kg or g, whichever keeps the figure
// readable, to about three significant digits.
func Mass(kg float64) string {
	switch a := math.Abs(kg); {
	case a >= 1000:
		return Number(kg/1000, Decimals(kg/1000)) + " t"
	case a >= 1:
		return Number(kg, Decimals(kg)) + " kg"
	default:
		return Number(kg*1000, Decimals(kg*1000)) + " g"
	}
}

// Energy formats kilowatt-hours in MWh or kWh, to about three significant
// digits.
func Energy(kwh float64) string {
	if math.Abs(kwh) >= 1000 {
		return Number(kwh/1000, Decimals(kwh/1000)) + " MWh"
	}
	return Number(kwh, Decimals(kwh)) + " kWh"
}

// Percent formats a share given as 0..1.
func Percent(share float64) string { return Number(100*share, 0) + "%" }
