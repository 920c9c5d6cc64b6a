package pdf

import (
	"strings"
	"unicode"
)

// wrap breaks s into lines no wider than w (less the cell margins) in the
// current font, at spaces. Text (as opposed to figures) also breaks after a
// hyphen, underscore, slash or dot, as identifiers like
// "genomics-lab_2/archive" have no spaces, and a word still too long is
// cut between letters; a figure is never cut.
func (p page) wrap(s string, w float64, text bool) []string {
	s, restore := p.printed(s)
	defer restore()
	avail := w - 2*p.f.GetCellMargin()
	var lines []string
	var cur strings.Builder
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
	}
	for _, tok := range tokens(s, text) {
		if cur.Len() > 0 && p.f.GetStringWidth(strings.TrimRight(cur.String()+tok, " ")) > avail {
			flush()
			tok = strings.TrimLeft(tok, " ")
		}
		for text && p.f.GetStringWidth(strings.TrimRight(tok, " ")) > avail {
			head := p.prefixFitting(tok, avail)
			cur.WriteString(head)
			flush()
			tok = tok[len(head):]
		}
		cur.WriteString(tok)
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// tokens splits s into pieces that may end a line: each ends with its
// trailing spaces or, if punct is set, with a breaking punctuation mark.
func tokens(s string, punct bool) []string {
	var out []string
	start := 0
	runes := []rune(s)
	for i, r := range runes {
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		breakAfter := unicode.IsSpace(r) && !unicode.IsSpace(next) ||
			punct && strings.ContainsRune("-_/.", r) && next != 0 && !unicode.IsSpace(next)
		if breakAfter {
			out = append(out, string(runes[start:i+1]))
			start = i + 1
		}
	}
	if start < len(runes) {
		out = append(out, string(runes[start:]))
	}
	return out
}

// prefixFitting is the longest prefix of s, at least one rune, no wider
// than w.
func (p page) prefixFitting(s string, w float64) string {
	runes := []rune(s)
	n := 1
	for n < len(runes) && p.f.GetStringWidth(string(runes[:n+1])) <= w {
		n++
	}
	return string(runes[:n])
}
