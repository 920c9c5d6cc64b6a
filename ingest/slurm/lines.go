package slurm

import (
	"bufio"
	"bytes"
	"io"
)

// maxRecord bounds one line: NodeList, AdminComment or SubmitLine can make
// lines long, but a line of megabytes is not sacct output, and memory must
// stay bounded whatever the input.
const maxRecord = 16 << 20

// Sizes of the blocks of lines a lineReader reads ahead: large enough that
// handing one over costs nothing per line, few enough to stay in a cache.
const (
	lineBlockSize = 256 << 10
	lineBlocks    = 4
)

// lineReader reads physical lines of any length up to maxRecord.
//
// Finding the lines of an input and cutting them into fields are a third
// of parsing it, so from the first call to next a goroutine of its own
// reads ahead: it cuts the input into lines, and each line at delim when
// one is set, and copies them into blocks, which next hands out one line
// at a time. close ends that goroutine when the input is abandoned; at the
// end of the input it ends by itself.
type lineReader struct {
	br    *bufio.Reader // read by the goroutine once started
	long  []byte        // for readLine, before the goroutine starts
	delim byte          // 0: lines are not cut into fields; set before start

	started bool
	blocks  chan *lineBlock // filled, in order; closed at the end
	free    chan *lineBlock // back from next, for reuse
	quit    chan struct{}
	done    chan struct{}
	err     error // what ended the input, io.EOF at its end; read after blocks closes

	cur *lineBlock // the block next is handing out
	i   int        // the next line of cur
	n   int        // physical lines handed out
}

// lineBlock holds whole lines, without their line endings, and where
// each is cut.
type lineBlock struct {
	data  []byte
	cuts  []int
	lines []lineRef
}

// lineRef is one line of a block, data[start:end], and the positions of
// delim in it, cuts[cutFrom:cutTo].
type lineRef struct {
	start, end     int
	cutFrom, cutTo int
	tooLong        bool
}

func newLineReader(r io.Reader) lineReader {
	return lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its line ending, and the positions of
// delim in it (nil when no delim is set); both are valid until the next
// call. For a line longer than maxRecord it returns the line's start and
// tooLong, having skipped the rest. At the end of the input it returns
// io.EOF; a last line without a newline is returned first.
func (lr *lineReader) next() (line []byte, cuts []int, tooLong bool, err error) {
	if !lr.started {
		lr.start()
	}
	for lr.cur == nil || lr.i == len(lr.cur.lines) {
		if lr.cur != nil {
			lr.free <- lr.cur // never blocks: free has room for every block
			lr.cur = nil
		}
		b, ok := <-lr.blocks
		if !ok {
			return nil, nil, false, lr.err
		}
		lr.cur, lr.i = b, 0
	}
	ref := lr.cur.lines[lr.i]
	lr.i++
	lr.n++
	if lr.delim != 0 {
		cuts = lr.cur.cuts[ref.cutFrom:ref.cutTo]
	}
	return lr.cur.data[ref.start:ref.end], cuts, ref.tooLong, nil
}

// nextDirect reads the next line on the caller's goroutine, as next does
// but without cutting it; only before next has been called (for a header,
// which says where the lines after it are to be cut).
func (lr *lineReader) nextDirect() (line []byte, tooLong bool, err error) {
	line, tooLong, lr.long, err = readLine(lr.br, lr.long)
	if err == nil {
		lr.n++
	}
	return line, tooLong, err
}

// start starts the goroutine that reads ahead.
func (lr *lineReader) start() {
	lr.started = true
	lr.blocks = make(chan *lineBlock, lineBlocks) // room for every block: sending never waits
	lr.free = make(chan *lineBlock, lineBlocks)
	lr.quit = make(chan struct{})
	lr.done = make(chan struct{})
	for range lineBlocks {
		lr.free <- &lineBlock{data: make([]byte, 0, lineBlockSize)}
	}
	go lr.readAhead()
}

// readAhead fills blocks with lines until the end of the input, an error
// or close.
func (lr *lineReader) readAhead() {
	defer close(lr.done)
	defer close(lr.blocks)
	long := lr.long // for a line that does not fit the bufio buffer
	for {
		var b *lineBlock
		select {
		case b = <-lr.free:
		case <-lr.quit:
			lr.err = io.ErrClosedPipe
			return
		}
		if cap(b.data) > 4*lineBlockSize {
			b.data = make([]byte, 0, lineBlockSize) // don't keep a huge buffer for one odd line
		}
		b.data, b.cuts, b.lines = b.data[:0], b.cuts[:0], b.lines[:0]
		var err error
		for err == nil && len(b.data) < lineBlockSize {
			var line []byte
			var tooLong bool
			line, tooLong, long, err = readLine(lr.br, long)
			if err == nil {
				ref := lineRef{start: len(b.data), cutFrom: len(b.cuts), tooLong: tooLong}
				b.data = append(b.data, line...)
				if lr.delim != 0 {
					b.cuts = appendCuts(b.cuts, viewString(line), lr.delim)
				}
				ref.end, ref.cutTo = len(b.data), len(b.cuts)
				b.lines = append(b.lines, ref)
			}
		}
		if len(b.lines) > 0 {
			lr.blocks <- b
		}
		if err != nil {
			lr.err = err
			return
		}
	}
}

// readLine reads one physical line from br, using long for a line that does
// not fit br's buffer, and returns long for reuse.
func readLine(br *bufio.Reader, long []byte) (line []byte, tooLong bool, _ []byte, err error) {
	if cap(long) > 1<<20 {
		long = nil // don't keep a huge buffer for one odd line
	}
	long = long[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(chunk) <= maxRecord {
				long = append(long, chunk...)
			} else {
				tooLong = true
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, false, long, err
		}
		if err == io.EOF && len(chunk) == 0 && len(long) == 0 && !tooLong {
			return nil, false, long, io.EOF
		}
		line = chunk
		if len(long) > 0 || tooLong {
			if len(long)+len(chunk) > maxRecord+2 { // +2: the line ending
				tooLong = true
			}
			if !tooLong {
				long = append(long, chunk...)
			}
			line = long
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		return line, tooLong, long, nil
	}
}

// close stops reading ahead and waits for the goroutine to end. The lines
// not yet handed out are dropped; next returns an error after it.
func (lr *lineReader) close() {
	if !lr.started {
		return
	}
	select {
	case <-lr.quit:
	default:
		close(lr.quit)
	}
	for range lr.blocks { // let a block in progress be handed over
	}
	<-lr.done
}
