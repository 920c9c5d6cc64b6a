package xlsx

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// deflateBlock is how much input each block of a parallelDeflate stream
// compresses on its own. Blocks share no dictionary, which costs under one
// percent of size at this length, and a workbook's Jobs sheet is a thousand
// of them, enough for every core to have work.
const deflateBlock = 1 << 20

// parallelDeflate writes a raw DEFLATE stream, as a zip entry holds, at
// deflateLevel, and compresses its blocks on all cores. Each block is compressed by its own
// flate.Writer and ended with a sync flush (byte-aligned and not final),
// so the blocks' outputs, written in order, make one valid stream; Close
// ends it with a final block. The output depends only on the input and
// the level, never on scheduling, so the same data gives the same file.
//
// Compressing a million-job Jobs sheet (1.4 GB of XML) is most of the
// cost of a workbook, and the workbook is written when nothing else runs,
// so this is where a second core pays most.
type parallelDeflate struct {
	dst io.Writer
	cur *bytes.Buffer
	// queue holds the blocks in flight, in stream order; its capacity
	// bounds them, and with them the memory the writer uses.
	queue chan *deflateJob
	done  chan struct{} // closed when drain has written everything
	mu    sync.Mutex
	err   error // the first error, from compressing or writing
}

// deflateJob is one block: its input, and its output once ready.
type deflateJob struct {
	in, out *bytes.Buffer
	final   bool
	ready   chan struct{}
}

// Pools of block buffers, for input and output (a new output buffer per
// block, grown as it fills, was a gigabyte of garbage for a million-job
// sheet), and of compressors, whose hash tables are costly to allocate for
// every block.
var (
	deflateBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, deflateBlock)) }}
	deflaters      sync.Pool // of *flate.Writer at deflateLevel
)

func newParallelDeflate(dst io.Writer) *parallelDeflate {
	z := &parallelDeflate{
		dst:   dst,
		cur:   deflateBuffers.Get().(*bytes.Buffer),
		queue: make(chan *deflateJob, 2*runtime.GOMAXPROCS(0)),
		done:  make(chan struct{}),
	}
	go z.drain()
	return z
}

// Write buffers p, starting the compression of each block it completes.
func (z *parallelDeflate) Write(p []byte) (int, error) {
	if err := z.error(); err != nil {
		return 0, err
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), deflateBlock-z.cur.Len())
		z.cur.Write(p[:k])
		p = p[k:]
		if z.cur.Len() == deflateBlock {
			z.dispatch(false)
		}
	}
	return n, nil
}

// Close compresses what is left as the final block and waits until the
// whole stream is written.
func (z *parallelDeflate) Close() error {
	z.dispatch(true)
	close(z.queue)
	<-z.done
	return z.error()
}

// dispatch starts compressing the current block. It blocks while the
// queue is full, which holds the caller to the pace of the compressors.
func (z *parallelDeflate) dispatch(final bool) {
	j := &deflateJob{in: z.cur, out: deflateBuffers.Get().(*bytes.Buffer), final: final, ready: make(chan struct{})}
	z.cur = deflateBuffers.Get().(*bytes.Buffer)
	z.queue <- j
	go z.compress(j)
}

// compress deflates one block into j.out.
func (z *parallelDeflate) compress(j *deflateJob) {
	defer close(j.ready)
	fw, _ := deflaters.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(j.out, deflateLevel); err != nil {
			z.fail(err)
			return
		}
	} else {
		fw.Reset(j.out)
	}
	_, err := fw.Write(j.in.Bytes())
	if err == nil {
		if j.final {
			err = fw.Close()
		} else {
			err = fw.Flush()
		}
	}
	if err != nil {
		z.fail(err)
		return
	}
	deflaters.Put(fw)
}

// drain writes the blocks' outputs in stream order as they become ready.
// After an error it keeps receiving, so that Write and Close never wait on
// a queue nobody empties.
func (z *parallelDeflate) drain() {
	defer close(z.done)
	for j := range z.queue {
		<-j.ready
		if z.error() == nil {
			if _, err := z.dst.Write(j.out.Bytes()); err != nil {
				z.fail(err)
			}
		}
		for _, b := range []*bytes.Buffer{j.in, j.out} {
			b.Reset()
			deflateBuffers.Put(b)
		}
	}
}

func (z *parallelDeflate) fail(err error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.err == nil {
		z.err = err
	}
}

func (z *parallelDeflate) error() error {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.err
}
