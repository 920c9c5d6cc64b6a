package pdf

import (
	"bytes"
	"strings"
	"sync"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// Font families registered with gofpdf. The core PDF fonts only know
// Latin-1, so names like Jiří or Łukasz need an embedded TrueType font.
const (
	sans = "go"
	mono = "gomono"
)

// addFonts embeds the Go fonts; gofpdf subsets them to the glyphs used.
// Each gets a copy of the font bytes: gofpdf 1.16.2 writes into the slice
// it is given while it subsets, which would corrupt the shared gofont
// variables and make the next document in the process differ.
func addFonts(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(sans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(sans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(sans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(mono, "", bytes.Clone(gomono.TTF))
}

// glyphs is the set of runes of the Basic Multilingual Plane that the Go
// fonts draw, as a bitset. All the Go fonts share one character set.
var glyphs = sync.OnceValue(func() []uint64 {
	set := make([]uint64, 0x10000/64)
	font, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		// The font is compiled in; if it does not parse, every rune falls
		// back to '?' and the document still renders.
		return set
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 0x10000; r++ {
		if i, err := font.GlyphIndex(&buf, r); err == nil && i != 0 {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return set
})

// drawable reports whether the Go fonts have a glyph for r.
func drawable(r rune) bool {
	return r >= 0 && r < 0x10000 && glyphs()[r/64]&(1<<(r%64)) != 0
}

// printable returns s with every rune the Go fonts cannot draw replaced by
// the nearest one they can: control characters become spaces, a letter
// with a diacritic the font lacks (Vietnamese ọ) loses the diacritic, and
// anything else becomes '?'. gofpdf would otherwise print an empty box, or
// index past its width table and panic, for a rune outside the font.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !drawable(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case drawable(r):
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(nearest(r))
		}
	}
	return b.String()
}

// nearest is the base letter of r's canonical decomposition if the font
// draws it, and '?' otherwise.
func nearest(r rune) rune {
	for _, base := range norm.NFD.String(string(r)) {
		if drawable(base) && !unicode.Is(unicode.Mn, base) {
			return base
		}
	}
	return '?'
}
