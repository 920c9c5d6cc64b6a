package slurm

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLineReader reads lines of every kind through the reading ahead and
// checks each line and its cuts against a plain split of the input.
func TestLineReader(t *testing.T) {
	var lines []string
	for i := range 3000 {
		// Short lines, lines longer than the bufio buffer and than a
		// block, empty lines, CRLF endings.
		n := i % 97
		switch i % 1000 {
		case 10:
			n = 70 << 10
		case 500:
			n = lineBlockSize + 3
		}
		lines = append(lines, strings.Repeat("ab|", n/3)+strings.Repeat("c", i%5))
	}
	input := strings.Join(lines, "\n") // the last line without a newline
	input = strings.Replace(input, "\n", "\r\n", 7)
	lr := newLineReader(strings.NewReader(input))
	lr.delim = '|'
	for i, want := range lines {
		line, cuts, tooLong, err := lr.next()
		if err != nil || tooLong {
			t.Fatalf("line %d: %v, too long %v", i+1, err, tooLong)
		}
		if string(line) != want {
			t.Fatalf("line %d: got %d bytes, want %d", i+1, len(line), len(want))
		}
		var wantCuts []int
		for j := range len(want) {
			if want[j] == '|' {
				wantCuts = append(wantCuts, j)
			}
		}
		if !slices.Equal(cuts, wantCuts) {
			t.Fatalf("line %d: cuts %v, want %v", i+1, cuts, wantCuts)
		}
	}
	if _, _, _, err := lr.next(); err != io.EOF {
		t.Errorf("after the last line: %v, want io.EOF", err)
	}
	if lr.n != len(lines) {
		t.Errorf("counted %d lines, want %d", lr.n, len(lines))
	}
}

func TestLineReaderErrorAndClose(t *testing.T) {
	boom := errors.New("disk gone")
	lr := newLineReader(io.MultiReader(strings.NewReader("a|b\nc|d\n"), iotest.ErrReader(boom)))
	for range 2 {
		if _, _, _, err := lr.next(); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, _, err := lr.next(); !errors.Is(err, boom) {
		t.Errorf("after the lines: %v, want %v", err, boom)
	}
	lr.close()

	// Abandoned after one line of a long input: close ends the reading
	// ahead, twice as well as once.
	lr = newLineReader(strings.NewReader(strings.Repeat("x|y\n", 1<<20)))
	if _, _, _, err := lr.next(); err != nil {
		t.Fatal(err)
	}
	lr.close()
	lr.close()
	select {
	case <-lr.done:
	default:
		t.Error("the reading goroutine still runs after close")
	}
}
