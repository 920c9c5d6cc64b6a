package pipeline

import (
	"crypto/sha256"
	"sync"
)

// hashChunks is how many read buffers a backgroundHash holds: enough that
// the reader seldom waits for the hasher, few enough to stay in a cache.
const hashChunks = 4

// backgroundHash computes the SHA-256 of what is written to it on a
// goroutine of its own, so that hashing an input runs beside parsing it
// rather than before each buffer is parsed: it was an eighth of the parse
// stage's time. Writes copy the bytes, since readers reuse their buffers.
type backgroundHash struct {
	chunks chan []byte // to the hasher, in order
	free   chan []byte // back from it, for reuse
	done   chan struct{}
	end    sync.Once
	sum    []byte
}

func newBackgroundHash() *backgroundHash {
	b := &backgroundHash{
		chunks: make(chan []byte, hashChunks),
		free:   make(chan []byte, hashChunks),
		done:   make(chan struct{}),
	}
	for range hashChunks {
		b.free <- nil // grown to the reads' size on first use
	}
	go func() {
		defer close(b.done)
		h := sha256.New()
		for c := range b.chunks {
			h.Write(c)
			b.free <- c[:0] // never blocks: free has room for every chunk
		}
		b.sum = h.Sum(nil)
	}()
	return b
}

func (b *backgroundHash) Write(p []byte) (int, error) {
	c := append(<-b.free, p...)
	b.chunks <- c
	return len(p), nil
}

// Sum waits for the hasher and returns the hash of everything written. It
// also ends the hasher when an ingest is abandoned; Write must not be
// called after it.
func (b *backgroundHash) Sum() []byte {
	b.end.Do(func() { close(b.chunks) })
	<-b.done
	return b.sum
}
