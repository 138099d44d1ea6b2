package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are the looks of every pane. They are built from the terminal's
// background (light or dark) so both read well, or plain when colour is
// off; no pane keeps a style of its own.
type Styles struct {
	Title, TitleFocused lipgloss.Style
	Gutter, GutterDiag  lipgloss.Style
	Underline           lipgloss.Style

	// Token styles, indexed by TokenKind.
	Tokens [tokenKinds]lipgloss.Style

	Header, HeaderType lipgloss.Style
	CellCursor         lipgloss.Style
	RowCursor          lipgloss.Style
	Null               lipgloss.Style
	Match              lipgloss.Style // cells holding the search text

	Error, OK, Muted   lipgloss.Style
	MeterLow, MeterMid lipgloss.Style
	MeterHigh          lipgloss.Style

	ListCursor lipgloss.Style
	Help       lipgloss.Style
}

// NewStyles returns the styles for a dark or light background. With
// noColor set it returns styles that use only bold, faint, underline and
// reverse video, as NO_COLOR asks.
func NewStyles(isDark, noColor bool) Styles {
	if noColor {
		return plainStyles()
	}
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color {
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	accent := c("#1F5FBF", "#7AA2F7")
	red := c("#B00020", "#F7768E")
	green := c("#1B7F3B", "#9ECE6A")
	amber := c("#8A5A00", "#E0AF68")
	faint := c("#6B6B6B", "#8C8FA1")
	sel := c("#D0DEF5", "#2E3C64")

	s := Styles{
		Title:        lipgloss.NewStyle().Foreground(faint),
		TitleFocused: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Gutter:       lipgloss.NewStyle().Foreground(faint),
		GutterDiag:   lipgloss.NewStyle().Foreground(red).Bold(true),
		// A curly underline, as editors mark findings; terminals
		// without it draw a straight one.
		Underline: lipgloss.NewStyle().UnderlineStyle(lipgloss.UnderlineCurly).
			UnderlineColor(red),
		Header:     lipgloss.NewStyle().Bold(true),
		HeaderType: lipgloss.NewStyle().Foreground(faint),
		CellCursor: lipgloss.NewStyle().Reverse(true).Bold(true),
		RowCursor:  lipgloss.NewStyle().Background(sel),
		Null:       lipgloss.NewStyle().Foreground(faint).Italic(true),
		Match:      lipgloss.NewStyle().Foreground(amber).Underline(true),
		Error:      lipgloss.NewStyle().Foreground(red).Bold(true),
		OK:         lipgloss.NewStyle().Foreground(green),
		Muted:      lipgloss.NewStyle().Foreground(faint),
		MeterLow:   lipgloss.NewStyle().Foreground(green),
		MeterMid:   lipgloss.NewStyle().Foreground(amber),
		MeterHigh:  lipgloss.NewStyle().Foreground(red).Bold(true),
		ListCursor: lipgloss.NewStyle().Background(sel).Bold(true),
		Help:       lipgloss.NewStyle().Foreground(faint),
	}
	s.Tokens[tokKeyword] = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Tokens[tokString] = lipgloss.NewStyle().Foreground(green)
	s.Tokens[tokNumber] = lipgloss.NewStyle().Foreground(amber)
	s.Tokens[tokTimespan] = lipgloss.NewStyle().Foreground(amber)
	s.Tokens[tokComment] = lipgloss.NewStyle().Foreground(faint).Italic(true)
	s.Tokens[tokOperator] = lipgloss.NewStyle().Foreground(accent)
	s.Tokens[tokError] = lipgloss.NewStyle().Foreground(red)
	return s
}

// plainStyles keeps the screen usable without colour: focus and cursors
// still show through bold and reverse video.
func plainStyles() Styles {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	return Styles{
		Title:        plain,
		TitleFocused: bold,
		Gutter:       plain,
		GutterDiag:   bold,
		Underline:    plain.Underline(true),
		Header:       bold,
		HeaderType:   plain,
		CellCursor:   plain.Reverse(true),
		RowCursor:    plain,
		Null:         plain,
		Match:        plain.Underline(true),
		Error:        bold,
		OK:           plain,
		Muted:        plain,
		MeterLow:     plain,
		MeterMid:     plain,
		MeterHigh:    bold,
		ListCursor:   plain.Reverse(true),
		Help:         plain,
	}
}
