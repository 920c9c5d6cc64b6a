package pipeline

import (
	"crypto/sha256"
	"errors"
	"io"
)

// Sizes of a hashingReader's blocks: large enough that a block costs
// nothing per byte, few enough to stay in a cache.
const (
	hashBlock  = 256 << 10
	hashBlocks = 4
)

// hashingReader reads an input ahead on a goroutine of its own and
// computes its SHA-256 there, as it reads. Read hands out the blocks read,
// in order, so the goroutine that parses the input only copies bytes:
// reading the file and hashing it, an eighth of the parse stage's time,
// run beside parsing it. The hash is of exactly the bytes Read returned.
type hashingReader struct {
	blocks chan []byte // read and hashed, in order; closed at the end
	free   chan []byte // back from Read, for reuse
	quit   chan struct{}
	done   chan struct{}
	// Set by the reading goroutine before it closes blocks.
	err error // the read error that ended the input; nil at its end
	sum []byte

	cur  []byte // what is left of the block Read is handing out
	held []byte // that block, to give back
	eof  bool   // Read has returned the whole input
}

func newHashingReader(r io.Reader) *hashingReader {
	h := &hashingReader{
		// As many as there are blocks, so that sending never waits.
		blocks: make(chan []byte, hashBlocks),
		free:   make(chan []byte, hashBlocks),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	for range hashBlocks {
		h.free <- make([]byte, hashBlock)
	}
	go h.readAhead(r)
	return h
}

// readAhead reads blocks until the end of r, an error, or Close.
func (h *hashingReader) readAhead(r io.Reader) {
	defer close(h.done)
	defer close(h.blocks)
	sum := sha256.New()
	for {
		var buf []byte
		select {
		case buf = <-h.free:
		case <-h.quit:
			return
		}
		n, err := io.ReadFull(r, buf[:cap(buf)])
		sum.Write(buf[:n])
		if n > 0 {
			h.blocks <- buf[:n]
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			h.sum = sum.Sum(nil)
			return
		}
		if err != nil {
			h.err = err
			return
		}
	}
}

// Read copies the next bytes of the input into p.
func (h *hashingReader) Read(p []byte) (int, error) {
	for len(h.cur) == 0 {
		if h.held != nil {
			h.free <- h.held[:cap(h.held)] // never blocks: free has room for every block
			h.held = nil
		}
		b, ok := <-h.blocks
		if !ok {
			if h.err != nil {
				return 0, h.err
			}
			h.eof = h.sum != nil
			return 0, io.EOF
		}
		h.cur, h.held = b, b
	}
	n := copy(p, h.cur)
	h.cur = h.cur[n:]
	return n, nil
}

// errNotRead is Sum's error for an input not read to its end.
var errNotRead = errors.New("input not read to its end")

// Sum returns the SHA-256 of the input, once Read has returned all of it.
func (h *hashingReader) Sum() ([]byte, error) {
	if !h.eof {
		return nil, errNotRead
	}
	<-h.done
	return h.sum, nil
}

// Close stops reading ahead, as when an ingest ends early, and waits for
// the reading goroutine to end. It does not close the underlying reader.
func (h *hashingReader) Close() {
	select {
	case <-h.quit:
	default:
		close(h.quit)
	}
	for range h.blocks { // let a read in progress hand its block over
	}
	<-h.done
}
