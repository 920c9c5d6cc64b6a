package pipeline

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return data
}

func TestHashingReader(t *testing.T) {
	for _, n := range []int{0, 1, hashBlock - 1, hashBlock, 5*hashBlock + 17} {
		data := randomBytes(n)
		h := newHashingReader(bytes.NewReader(data))
		if _, err := h.Sum(); n > 0 && !errors.Is(err, errNotRead) {
			t.Errorf("%d bytes: Sum before the end = %v, want %v", n, err, errNotRead)
		}
		// Reads of every size, as a bufio.Reader and io.Copy make them.
		r := rand.New(rand.NewPCG(3, 4))
		var got bytes.Buffer
		buf := make([]byte, 70_000)
		for {
			k, err := h.Read(buf[:1+r.IntN(len(buf))])
			got.Write(buf[:k])
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%d bytes: Read: %v", n, err)
			}
		}
		sum, err := h.Sum()
		want := sha256.Sum256(data)
		if !bytes.Equal(got.Bytes(), data) || err != nil || !bytes.Equal(sum, want[:]) {
			t.Errorf("%d bytes: read %d bytes back, hash %x, %v; want the input and %x", n, got.Len(), sum, err, want)
		}
		h.Close()
	}
}

func TestHashingReaderError(t *testing.T) {
	data := randomBytes(3*hashBlock + 5)
	boom := errors.New("disk gone")
	h := newHashingReader(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)))
	defer h.Close()
	got, err := io.ReadAll(h)
	if !errors.Is(err, boom) || !bytes.Equal(got, data) {
		t.Errorf("read %d bytes, %v; want the %d bytes before the error, then %v", len(got), err, len(data), boom)
	}
	if _, err := h.Sum(); !errors.Is(err, errNotRead) {
		t.Errorf("Sum after a read error = %v, want %v", err, errNotRead)
	}
}

// TestHashingReaderClose checks that an input abandoned halfway stops the
// reading goroutine, which Close waits for.
func TestHashingReaderClose(t *testing.T) {
	h := newHashingReader(bytes.NewReader(randomBytes(20 * hashBlock)))
	if _, err := h.Read(make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	h.Close()
	h.Close() // a second Close, as a deferred one after an early one, is fine
	select {
	case <-h.done:
	default:
		t.Error("the reading goroutine still runs after Close")
	}
}
