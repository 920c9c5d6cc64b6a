package pdf

import "math"

// niceScale returns the top of an axis that starts at zero and shows max,
// and the step between about n ticks, both round numbers (1, 2, 2.5 or 5
// times a power of ten) so the tick labels are easy to read.
func niceScale(max float64, n int) (top, step float64) {
	if !(max > 0) || math.IsInf(max, 0) {
		return 1, 1 / float64(n)
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return math.Ceil(max/step-1e-9) * step, step
}

// tickDecimals is how many decimals the labels of ticks step apart need.
func tickDecimals(step float64) int {
	for d := 0; d < 6; d++ {
		if s := step * math.Pow(10, float64(d)); math.Abs(s-math.Round(s)) < 1e-6 {
			return d
		}
	}
	return 6
}
