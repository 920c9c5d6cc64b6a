package pipeline

import (
	"bytes"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"testing"
)

func TestBackgroundHash(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 1<<20+17)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	// Reads of every size, from a buffer reused between them as readers do.
	h := newBackgroundHash()
	buf := make([]byte, 70_000)
	src := bytes.NewReader(data)
	for {
		n, err := src.Read(buf[:1+r.IntN(len(buf))])
		h.Write(buf[:n])
		for i := range buf[:n] {
			buf[i] = 0 // the hasher must have its own copy
		}
		if err == io.EOF {
			break
		}
	}
	want := sha256.Sum256(data)
	if got := h.Sum(); !bytes.Equal(got, want[:]) {
		t.Errorf("hash %x, want %x", got, want)
	}
	if again := h.Sum(); !bytes.Equal(again, want[:]) {
		t.Errorf("second Sum %x", again)
	}
	// Ended with nothing written, as an abandoned ingest does.
	if got, want := newBackgroundHash().Sum(), sha256.Sum256(nil); !bytes.Equal(got, want[:]) {
		t.Errorf("empty hash %x, want %x", got, want)
	}
}
