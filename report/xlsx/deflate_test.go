package xlsx

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// deflateInput is n bytes of text that compresses like a sheet's XML, with
// random bytes mixed in so that blocks differ.
func deflateInput(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(`<c r="A1" s="4" t="inlineStr"><is><t>`)
		for range r.IntN(12) {
			b.WriteByte(byte(r.IntN(256)))
		}
		b.WriteString(`</t></is></c>`)
	}
	return b.Bytes()[:n]
}

// deflate compresses data with parallelDeflate, written in pieces of the
// given size.
func deflate(t *testing.T, data []byte, piece int) []byte {
	t.Helper()
	var out bytes.Buffer
	z := newParallelDeflate(&out)
	for p := data; len(p) > 0; {
		k := min(piece, len(p))
		if n, err := z.Write(p[:k]); n != k || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
		p = p[k:]
	}
	if err := z.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return out.Bytes()
}

func TestParallelDeflateRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, deflateBlock - 1, deflateBlock, deflateBlock + 1, 5*deflateBlock/2 + 17} {
		data := deflateInput(n)
		for _, piece := range []int{1 << 16, 3*deflateBlock/2 + 1} {
			z := deflate(t, data, piece)
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%d bytes in pieces of %d: got %d bytes back, %v", n, piece, len(got), err)
			}
			// The same input gives the same output, however it was cut
			// into writes and whichever block finished first.
			if again := deflate(t, data, 4096); !bytes.Equal(again, z) {
				t.Errorf("%d bytes: the output depends on how it was written", n)
			}
		}
	}
}

type failingWriter struct{ n int }

var errFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 1000 {
		return 0, errFull
	}
	return len(p), nil
}

func TestParallelDeflateWriteError(t *testing.T) {
	z := newParallelDeflate(&failingWriter{})
	data := deflateInput(8 * deflateBlock)
	var err error
	for p := data; len(p) > 0 && err == nil; p = p[min(len(p), 1<<16):] {
		_, err = z.Write(p[:min(len(p), 1<<16)])
	}
	if cerr := z.Close(); !errors.Is(cerr, errFull) {
		t.Errorf("Close: %v, want %v", cerr, errFull)
	}
}
