package sqlite

import (
	"errors"
	"math"
	"testing"
	"time"
)

// TestFiguresRoundTrip checks that the encoding gives every figure back
// bit for bit, zeros (which it leaves out) and values a text or REAL
// column would not keep (-0, denormals) alike, and that it refuses what
// it could not have written.
func TestFiguresRoundTrip(t *testing.T) {
	var all figures
	for i := range all {
		all[i] = float64(i) + 0.25
		if figureFlags&(1<<i) != 0 {
			all[i] = 1
		}
	}
	odd := figures{}
	odd[0], odd[1], odd[2] = math.Copysign(0, -1), 5e-324, math.Inf(-1)
	odd[numFigures-1] = math.MaxFloat64
	for name, f := range map[string]figures{"zero": {}, "all": all, "odd": odd} {
		b, err := appendFigures(nil, &f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got figures
		if err := decodeFigures(b, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range f {
			if math.Float64bits(got[i]) != math.Float64bits(f[i]) {
				t.Errorf("%s: %s = %v, want %v", name, figureNames[i], got[i], f[i])
			}
		}
		if len(b) > maxFiguresLen {
			t.Errorf("%s: %d bytes, more than maxFiguresLen", name, len(b))
		}
		for _, bad := range [][]byte{b[:len(b)-1], append(b[:len(b):len(b)], 0), nil} {
			if err := decodeFigures(bad, &got); err == nil {
				t.Errorf("%s: decoded % x", name, bad)
			}
		}
	}
	if err := decodeFigures([]byte{0x80, 0x80, 0x80, 0x80, 0x08}, new(figures)); err == nil {
		t.Error("decoded a figure this version does not know")
	}
	nan := figures{}
	nan[3] = math.NaN()
	if _, err := appendFigures(nil, &nan); !errors.Is(err, errNaN) {
		t.Errorf("NaN encoded: %v", err)
	}
}

// TestPutNaNFigure checks that a job with a figure that is not a number is
// refused, as a NaN in one of the job's REAL columns is.
func TestPutNaNFigure(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	runID, err := db.BeginRun(t.Context(), "ingest", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.BeginBatch(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	j := dimensionJobs()[0]
	j.Result.IdleCoreHours = math.NaN()
	if err := b.Put(&j); !errors.Is(err, errNaN) {
		t.Errorf("Put of a NaN figure: %v", err)
	}
}
