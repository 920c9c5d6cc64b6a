package pdf

// Page geometry in millimetres: A4 portrait with room for the running header
// and footer.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginX      = 16.0
	marginTop    = 22.0
	marginBottom = 20.0
	contentW     = pageW - 2*marginX
)

// rgb is a colour as gofpdf takes it.
type rgb struct{ r, g, b int }

// The palette: a dark teal for structure and bars, a warm accent for the
// uncertainty whiskers and waste, greys for text and rules. The colours
// keep their contrast when printed in greyscale.
var (
	colInk      = rgb{33, 37, 41}
	colMuted    = rgb{98, 106, 114}
	colRule     = rgb{206, 212, 218}
	colGrid     = rgb{226, 230, 234}
	colPrimary  = rgb{19, 94, 86}
	colBar      = rgb{42, 135, 120}
	colAccent   = rgb{201, 110, 38}
	colTint     = rgb{232, 243, 240}
	colZebra    = rgb{246, 248, 249}
	colTile     = rgb{243, 246, 247}
	colWhite    = rgb{255, 255, 255}
	colHeaderBg = colPrimary
)

// colSeries are the colours of a stacked chart's layers, in stacking
// order, and colOther the colour of its "other" layer. Neighbours
// alternate dark and light, so they stay apart in greyscale, and whiskers
// over them are drawn in ink.
var (
	colSeries = []rgb{
		{19, 94, 86},    // dark teal
		{230, 159, 0},   // amber
		{40, 60, 120},   // navy
		{140, 200, 235}, // sky
		{200, 80, 60},   // brick
	}
	colOther = rgb{185, 185, 185}
)
